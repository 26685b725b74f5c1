package io.tollgate.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A streaming chat client on a plain socket with a small receive buffer, that reads its answer at whatever pace
 * the test sets (or not at all), and the gateway's threads as a test in the same JVM sees them.
 */
final class SlowClient implements AutoCloseable {
  private static final int RECEIVE_BUFFER = 4096;

  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream got = new ByteArrayOutputStream();

  private SlowClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Sends a streamed chat request for {@code model}; the answer is left unread. */
  static SlowClient ask(String baseUrl, String key, String model, String requestId) throws IOException {
    URI base = URI.create(baseUrl);
    Socket socket = new Socket();
    socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting: it sets the window the gateway sees
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Connection: close\r\nAuthorization: Bearer " + key + "\r\nX-Request-Id: " + requestId
        + "\r\nContent-Length: " + body.length() + "\r\n\r\n";
    socket.getOutputStream().write((head + body).getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return new SlowClient(socket);
  }

  /** Reads at most {@code max} bytes of what has arrived, without waiting for more. */
  int readSome(int max) throws IOException {
    int n = Math.min(max, in.available());
    if (n <= 0) {
      return 0;
    }
    byte[] buf = new byte[n];
    int read = in.read(buf);
    got.write(buf, 0, Math.max(read, 0));
    return read;
  }

  int received() {
    return got.size();
  }

  /** Reads the rest at full speed, up to the end of the connection, and returns the body (de-chunked if chunked). */
  String rest() throws IOException {
    socket.setSoTimeout(30_000);
    try {
      in.transferTo(got);
    } catch (java.net.SocketTimeoutException e) {
      String text = got.toString(StandardCharsets.ISO_8859_1);
      throw new AssertionError("no end after " + got.size() + " bytes: ..." + text.substring(Math.max(0,
          text.length() - 300)), e);
    }
    return dechunked(got.toByteArray());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static String dechunked(byte[] all) {
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 200") || at < 0) {
      throw new AssertionError("not a 200: " + text.substring(0, Math.min(200, text.length())));
    }
    if (!text.substring(0, at).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      return new String(all, at + 4, all.length - at - 4, StandardCharsets.UTF_8); // ended by the close
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int pos = at + 4;
    while (true) {
      int eol = text.indexOf("\r\n", pos);
      int size = Integer.parseInt(text.substring(pos, eol).trim(), 16);
      if (size == 0) {
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(all, eol + 2, size);
      pos = eol + 2 + size + 2;
    }
  }

  /** The gateway's threads that could serve a client: Tomcat's request threads and the upstream callbacks. */
  static Set<String> gatewayThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("tollgate-upstream") || n.contains("-exec-")).collect(Collectors.toSet());
  }

  /** Of those, the ones doing something (or waiting on a client) rather than idling in their pool. */
  static Set<String> busyGatewayThreads() {
    Set<String> gateway = gatewayThreads();
    return Thread.getAllStackTraces().entrySet().stream().filter(e -> gateway.contains(e.getKey().getName()))
        .filter(e -> java.util.Arrays.stream(e.getValue()).noneMatch(f -> IDLE.contains(f.getMethodName())))
        .map(e -> e.getKey().getName()).collect(Collectors.toSet());
  }

  /** Where a pool thread with nothing to do waits: Tomcat's and Jetty's task queues, and Jetty's selector. */
  private static final Set<String> IDLE = Set.of("getTask", "idleJobPoll", "waitForTask", "select");

  /** Threads that wait in a blocking socket write of the container's, right now. */
  static Set<String> blockedInWrites() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("writeBlocking")
            || f.getMethodName().equals("flushBlocking")))
        .map(e -> e.getKey().getName()).collect(Collectors.toSet());
  }
}
