package io.tollgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A servlet container's distribution in a process of its own ({@code catalina.sh run}, {@code java -jar
 * start.jar}), everything it prints in one log file. {@link #start} returns once {@code /healthz} answers, or fails
 * with the end of that log; {@link #stop} sends SIGTERM and kills whatever is left after a bound. A shutdown hook
 * kills it should the test JVM end first, so no container outlives the run.
 */
public final class ContainerProcess implements AutoCloseable {
  private static final Duration STOP_WAIT = Duration.ofSeconds(20);
  private static final int TAIL_LINES = 80;

  private final Process process;
  private final Path log;
  private final String baseUrl;
  private final Thread killOnExit;

  private ContainerProcess(Process process, Path log, String baseUrl, Thread killOnExit) {
    this.process = process;
    this.log = log;
    this.baseUrl = baseUrl;
    this.killOnExit = killOnExit;
  }

  /** Starts {@code builder}'s command, its output into {@code log}, and waits for {@code baseUrl + /healthz}. */
  public static ContainerProcess start(ProcessBuilder builder, Path log, String baseUrl, Duration timeout) {
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + builder.command(), e);
    }
    Thread killOnExit = new Thread(() -> killTree(process), "container-process-kill");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    ContainerProcess container = new ContainerProcess(process, log, baseUrl, killOnExit);
    try {
      container.awaitHealthy(timeout);
      return container;
    } catch (RuntimeException | AssertionError e) {
      container.close();
      throw new AssertionError(e.getMessage() + "; the end of its log (" + log + "):\n" + container.logTail(), e);
    }
  }

  /** A clean environment for the container: only PATH, JAVA_HOME (this JVM's) and the given settings. */
  public static void environment(ProcessBuilder builder, Map<String, String> settings) {
    Map<String, String> env = builder.environment();
    String path = env.getOrDefault("PATH", "/usr/bin:/bin");
    env.clear();
    env.put("PATH", path);
    env.put("LANG", "C.UTF-8");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.putAll(settings);
  }

  /** The java command of the JVM running the tests. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String logTail() {
    List<String> lines = log().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }

  /** SIGTERM, as a service manager stops it; true when it ended by itself within the bound, false if killed. */
  public boolean stop() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    boolean ended = waitFor(process, STOP_WAIT);
    killTree(process);
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // the JVM is already exiting: the hook runs and finds the process gone
    }
    return ended;
  }

  /** {@link #stop()}, for cleaning up after a test: nothing more happens once it has ended. */
  @Override
  public void close() {
    stop();
  }

  private void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the container exited with status " + process.exitValue() + " before /healthz answered");
      }
      try {
        HttpResponse<String> health = Http.get(baseUrl + "/healthz");
        if (health.statusCode() == 200) {
          return;
        }
        // Both containers open their connector only after deploying: any other answer means the webapp failed.
        throw new IllegalStateException("/healthz answered " + health.statusCode() + ": the WAR did not deploy");
      } catch (UncheckedIOException notListeningYet) {
        // the connector opens only after the webapp has been deployed
      }
      waitFor(process, Duration.ofMillis(250)); // a pause that ends early if it exits, reported above
    }
    throw new IllegalStateException("/healthz did not answer 200 within " + timeout);
  }

  private static boolean waitFor(Process process, Duration bound) {
    try {
      return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(5));
    }
  }
}
