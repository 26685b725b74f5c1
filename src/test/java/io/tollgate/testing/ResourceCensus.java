package io.tollgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * This JVM's threads and open descriptors at one moment, for leak checks around a run of the embedded gateway.
 * Threads are grouped by name (the upstream client's pool, Tomcat's connector, the gateway's other threads, the
 * test's own, the rest); a thread counts as busy when it is inside the gateway's own code, which an idle pool thread never is, so a
 * thread stuck on a request shows up even while the pools keep their idle threads for their idle timeout.
 */
public record ResourceCensus(Map<String, Integer> threads, Map<String, Integer> busy, int descriptors) {
  public static final String UPSTREAM = "upstream-client";
  public static final String CONNECTOR = "tomcat-connector";
  public static final String GATEWAY = "tollgate-other";
  /** The test's own: fake upstreams and client threads (named fake-* or test-*). */
  public static final String TEST = "test";
  public static final String OTHER = "other";

  public static ResourceCensus take() {
    Map<String, Integer> threads = new TreeMap<>();
    Map<String, Integer> busy = new TreeMap<>();
    for (String group : new String[] {UPSTREAM, CONNECTOR, GATEWAY, TEST, OTHER}) {
      threads.put(group, 0);
      busy.put(group, 0);
    }
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      String group = group(thread.getName());
      threads.merge(group, 1, Integer::sum);
      if (inGatewayCode(stack)) {
        busy.merge(group, 1, Integer::sum);
      }
    });
    return new ResourceCensus(threads, busy, openDescriptors());
  }

  /** Open file descriptors of this process (sockets included), or -1 where /proc is not there. */
  public static int openDescriptors() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (Stream<Path> all = Files.list(fds)) {
      return (int) all.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int threads(String group) {
    return threads.get(group);
  }

  public int busy(String group) {
    return busy.get(group);
  }

  private static String group(String name) {
    if (name.startsWith("tollgate-upstream")) {
      return UPSTREAM;
    }
    if (name.startsWith("http-nio-")) {
      return CONNECTOR;
    }
    if (name.startsWith("fake-") || name.startsWith("test-")) {
      return TEST;
    }
    return name.startsWith("tollgate") ? GATEWAY : OTHER;
  }

  private static boolean inGatewayCode(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      String c = frame.getClassName();
      if (c.startsWith("io.tollgate.") && !c.startsWith("io.tollgate.testing.") && !c.startsWith("io.tollgate.e2e.")) {
        return true;
      }
    }
    return false;
  }
}
