package io.tollgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine's nginx as a child process serving one site (text for nginx's http block), with everything it writes
 * (pid, logs, temp files) in a folder of its own; {@code daemon off}, so {@link #close()} ends it. Nothing else on
 * the machine is touched: the system's nginx service and its configuration stay as they are.
 */
public final class NginxProxy implements AutoCloseable {
  private static final long START_MILLIS = 10_000;

  private final Process process;
  private final Path dir;
  private final int port;

  private NginxProxy(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** For {@code @EnabledIf}: is there an nginx to run? */
  public static boolean installed() {
    return binary().isPresent();
  }

  /** Debian's /usr/sbin/nginx, or an nginx on the PATH; empty when there is none. */
  public static Optional<Path> binary() {
    Path debian = Path.of("/usr/sbin/nginx");
    if (Files.isExecutable(debian)) {
      return Optional.of(debian);
    }
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(folder.isEmpty() ? "." : folder, "nginx");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** A port nothing listens on right now, for a site's {@code listen} line. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts nginx with {@code site} in {@code dir}, and returns once it accepts connections on {@code port}. */
  public static NginxProxy start(Path dir, String site, int port) {
    Path nginx = binary().orElseThrow(() -> new IllegalStateException("no nginx on this machine"));
    try {
      Files.createDirectories(dir.resolve("temp"));
      Files.writeString(dir.resolve("site.conf"), site);
      Files.writeString(dir.resolve("nginx.conf"), mainConf(dir.toAbsolutePath()));
      Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toAbsolutePath() + "/", "-c", "nginx.conf",
          "-e", "error.log")
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
      NginxProxy proxy = new NginxProxy(process, dir, port);
      proxy.awaitListening();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("nginx did not start", e);
    }
  }

  private static String mainConf(Path dir) {
    String temp = dir.resolve("temp").toString();
    return """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 256; }
        http {
            client_body_temp_path %2$s/client_body;
            proxy_temp_path %2$s/proxy;
            fastcgi_temp_path %2$s/fastcgi;
            uwsgi_temp_path %2$s/uwsgi;
            scgi_temp_path %2$s/scgi;
            include %1$s/site.conf;
        }
        """.formatted(dir, temp);
  }

  private void awaitListening() {
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + log("stdout.log")
            + log("error.log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IllegalStateException("nginx did not listen on " + port + " within " + START_MILLIS + " ms: "
        + log("error.log"));
  }

  public int port() {
    return port;
  }

  /** A file nginx wrote in its folder (a log), or "" while there is none. */
  public String log(String name) {
    try {
      Path file = dir.resolve(name);
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly); // its workers, which SIGKILL would orphan
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
