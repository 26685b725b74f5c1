package io.tollgate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a separate JVM (this test run's classpath, {@link GatewayMain}), so two instances share nothing
 * but what they are given, such as one database. Settings in, base URL out; {@link #close()} stops it gracefully
 * and kills it when it does not go within a few seconds. Every wait is bounded.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final int KEPT_LINES = 60;

  private final Process process;
  private final String baseUrl;
  private final Deque<String> output;

  private GatewayProcess(Process process, String baseUrl, Deque<String> output) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.output = output;
  }

  /** Starts a gateway with these settings and returns once it answers, or fails within {@code timeout}. */
  public static GatewayProcess start(Map<String, String> settings, Duration timeout) {
    Path file = settingsFile(settings);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
        GatewayMain.class.getName(), file.toString())
        .directory(Path.of("").toAbsolutePath().toFile())
        .redirectErrorStream(true);
    builder.environment().remove("TOLLGATE_DB_URL"); // only what the settings say
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a gateway process", e);
    }
    Deque<String> output = new ArrayDeque<>();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(process, output, ready), "gateway-process-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String url = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new GatewayProcess(process, url, output);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the gateway process did not start within " + timeout + "; its output:\n"
          + tail(output), e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file; the OS cleans it up
      }
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The last lines the process printed, for a failing test's message. */
  public String output() {
    return tail(output);
  }

  /** Ends its input, which stops it cleanly; kills it if it is still there a few seconds later. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void read(Process process, Deque<String> output, CompletableFuture<String> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(GatewayMain.READY)) {
          ready.complete(line.substring(GatewayMain.READY.length()).trim());
        }
        synchronized (output) {
          output.addLast(line);
          if (output.size() > KEPT_LINES) {
            output.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    ready.completeExceptionally(new IllegalStateException("the process exited"));
  }

  private static String tail(Deque<String> output) {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  private static Path settingsFile(Map<String, String> settings) {
    try {
      Path file = Files.createTempFile("tollgate-process", ".properties",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Properties properties = new Properties();
      properties.putAll(settings);
      try (Writer w = Files.newBufferedWriter(file)) {
        properties.store(w, null);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
