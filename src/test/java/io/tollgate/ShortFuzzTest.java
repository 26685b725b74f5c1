package io.tollgate;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default build's short fuzz run. Jazzer fuzzes one {@code @FuzzTest} per JVM, so this one target stands for the
 * byte-input targets: the first byte picks one, the rest is its input, and the coverage of all of them guides one
 * run. The build's {@code short-fuzz} surefire execution runs it with {@code JAZZER_FUZZ=1} for {@code maxDuration}
 * (RELIABILITY.md "Fuzzing"); the seeds are the targets' own, each behind its selector byte.
 */
class ShortFuzzTest {
  private static final String[] TARGETS = {
      "openai.RequestFuzzTest#chat",
      "inbound.anthropic.MessagesFuzzTest#request",
      "inbound.gemini.GeminiBodyFuzzTest#body",
      "provider.anthropic.AnthropicFuzzTest#request",
      "provider.gemini.GeminiFuzzTest#request",
      "openai.RequestFuzzTest#upstreamAnswer",
      "provider.anthropic.AnthropicFuzzTest#answer",
      "provider.anthropic.AnthropicFuzzTest#stream",
      "provider.gemini.GeminiFuzzTest#answer",
      "provider.gemini.GeminiFuzzTest#stream",
      "inbound.anthropic.MessagesFuzzTest#answer",
      "inbound.anthropic.MessagesFuzzTest#stream",
      "provider.openai.PassThroughFuzzTest#stream",
      "inbound.responses.ResponsesFuzzTest#request",
      "inbound.responses.ResponsesFuzzTest#answer",
      "inbound.responses.ResponsesFuzzTest#stream",
      "inbound.responses.ResponsesFuzzTest#passThrough",
  };
  private static final Target[] BOUND = Arrays.stream(TARGETS).map(Target::bind).toArray(Target[]::new);

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "10s")
  void anyTarget(byte[] input) throws Throwable {
    if (input.length == 0) {
      return;
    }
    BOUND[Byte.toUnsignedInt(input[0]) % BOUND.length].run(Arrays.copyOfRange(input, 1, input.length));
  }

  static Stream<Arguments> seeds() {
    return Stream.iterate(0, i -> i < BOUND.length, i -> i + 1)
        .flatMap(i -> BOUND[i].seeds().map(seed -> prefixed((byte) i.intValue(), seed)))
        .map(input -> Arguments.of((Object) input));
  }

  private static byte[] prefixed(byte selector, byte[] seed) {
    byte[] input = new byte[seed.length + 1];
    input[0] = selector;
    System.arraycopy(seed, 0, input, 1, seed.length);
    return input;
  }

  /** One fuzz target, called as Jazzer would: its own property checks throw what a finding is. */
  private record Target(Class<?> type, Method method, Object instance) {
    static Target bind(String name) {
      String[] parts = name.split("#");
      try {
        Class<?> type = Class.forName("io.tollgate." + parts[0]);
        Method method = type.getDeclaredMethod(parts[1], byte[].class);
        method.setAccessible(true);
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return new Target(type, method, constructor.newInstance());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("no fuzz target " + name, e);
      }
    }

    void run(byte[] input) throws Throwable {
      try {
        method.invoke(instance, (Object) input);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    /** The target's own seed corpus, {@code <Class>Inputs/<method>/} on the test class path. */
    Stream<byte[]> seeds() {
      URL inputs = type.getResource(type.getSimpleName() + "Inputs/" + method.getName());
      if (inputs == null) {
        return Stream.empty();
      }
      try (Stream<Path> files = Files.list(Paths.get(inputs.toURI()))) {
        return files.sorted().filter(Files::isRegularFile).map(Target::read).toList().stream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }

    private static byte[] read(Path file) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
