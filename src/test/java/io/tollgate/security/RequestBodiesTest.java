package io.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.WebappServer;
import io.tollgate.testing.WebappServer.Container;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Request bodies that are huge, slow, declared but never sent, or of the wrong type: each gets a bounded JSON answer
 * and a log row, and none holds a thread or a buffer of the size it declared. On Tomcat and on Jetty.
 */
class RequestBodiesTest {
  private static final String KEY = "sk-tollgate-bodies";
  private static final String ADMIN = "admin-bodies";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final Map<Container, WebappServer> SERVERS = new EnumMap<>(Container.class);
  private static final Map<Container, WebappServer> DEFAULT_LIMIT = new EnumMap<>(Container.class);

  private static WebappServer server(Container container) throws IOException {
    return server(container, SERVERS, "100000");
  }

  private static synchronized WebappServer server(Container container, Map<Container, WebappServer> servers,
      String maxBody) throws IOException {
    WebappServer running = servers.get(container);
    if (running == null) {
      String yaml = BootstrapFiles.echoWithClient("bodies", KEY);
      running = container.start(Map.of("TOLLGATE_CONFIG", yaml, "TOLLGATE_ADMIN_KEY", ADMIN,
          "MAX_BODY_BYTES", maxBody, "BODY_READ_TIMEOUT", "3"));
      servers.put(container, running);
    }
    return running;
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(WebappServer::close);
    DEFAULT_LIMIT.values().forEach(WebappServer::close);
  }

  /** The hot path: a body that came with its headers is taken on the request's thread, with no second dispatch. */
  @ParameterizedTest
  @EnumSource(Container.class)
  void aBodyThatArrivedWithItsHeadersIsReadAtOnce(Container container) throws Exception {
    WebappServer server = server(container);
    ch.qos.logback.classic.Logger reader = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        "io.tollgate.filter.BodyReader");
    ch.qos.logback.classic.Level level = reader.getLevel();
    reader.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try (CapturedLogs logs = CapturedLogs.attach("io.tollgate.filter.BodyReader")) {
      for (int i = 0; i < 20; i++) {
        try (Socket s = open(server, null)) {
          String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Authorization: Bearer " + KEY + "\r\nConnection: close\r\nContent-Length: " + CHAT.length() + "\r\n\r\n";
          s.getOutputStream().write((head + CHAT).getBytes(StandardCharsets.US_ASCII)); // one write, as wrk does
          s.setSoTimeout(5_000);
          assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200");
        }
      }
      assertThat(logs.lines("io.tollgate.filter.BodyReader")).isEmpty();
      String late = "late-" + container;
      try (Socket s = open(server, "POST /v1/chat/completions HTTP/1.1", "Content-Length: " + CHAT.length(),
          "Authorization: Bearer " + KEY, "Connection: close", "X-Request-Id: " + late)) {
        Thread.sleep(50); // the body comes later than its headers
        s.getOutputStream().write(CHAT.getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(5_000);
        assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200");
      }
      assertThat(logs.lines("io.tollgate.filter.BodyReader")).hasSize(1);
      // The second dispatch is the same request: one log row, the one that knows the model.
      Map<String, Object> lateRow = new RequestLogRows(server.database()).await(late, Duration.ofSeconds(10));
      assertThat(lateRow).as(lateRow.toString()).containsEntry("model", "echo");
      Thread.sleep(300); // a second row comes with the first, within one USAGE_LINGER (50 ms)
      assertThat(rowCount(server, late)).as("log rows of one request").isEqualTo(1);
    } finally {
      reader.setLevel(level);
    }
  }

  private static int rowCount(WebappServer server, String requestId) throws Exception {
    try (java.sql.Connection c = server.database().connect(); java.sql.PreparedStatement ps = c.prepareStatement(
        "select count(*) from usage_log where request_id = ?")) {
      ps.setString(1, requestId);
      try (java.sql.ResultSet r = ps.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void slowBodiesHoldNoThreadAndEndIn408(Container container) throws Exception {
    WebappServer server = server(container);
    List<Socket> slow = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 300; i++) { // more than either container's 200 request threads
        Socket s = open(server, "POST /v1/chat/completions HTTP/1.1", "Content-Length: 5000",
            "Authorization: Bearer " + KEY, "X-Request-Id: slow-" + container + "-" + i);
        s.getOutputStream().write('{');
        slow.add(s);
      }
      trickle.scheduleAtFixedRate(() -> slow.forEach(s -> {
        try {
          s.getOutputStream().write(' ');
        } catch (IOException closedByTheGateway) {
          // expected once the deadline has passed
        }
      }), 500, 500, TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(Http.post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", "Bearer " + KEY)
            .statusCode()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      for (Socket s : slow) {
        s.setSoTimeout(15_000);
        String answer = readAll(s.getInputStream()); // ends: the gateway closes the connection
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"request_timeout\"");
      }
      RequestLogRows rows = new RequestLogRows(server.database());
      assertThat(rows.await("slow-" + container + "-7", Duration.ofSeconds(10)).get("status")).isEqualTo(408);
    } finally {
      trickle.shutdownNow();
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aRefusedKeyClosesTheConnectionWithoutWaitingForTheBody(Container container) throws Exception {
    WebappServer server = server(container);
    try (Socket s = open(server, "POST /v1/messages HTTP/1.1", "Content-Length: 100000",
        "X-Request-Id: unkeyed-" + container)) {
      s.getOutputStream().write('{');
      s.setSoTimeout(5_000);
      String answer = readAll(s.getInputStream()); // would time out if the container drained the body
      assertThat(answer).startsWith("HTTP/1.1 401");
      JsonNode error = Http.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("error").path("type").asText()).isEqualTo("authentication_error");
      assertThat(error.path("error").path("message").asText()).contains("x-api-key");
    }
    assertThat(new RequestLogRows(server.database()).await("unkeyed-" + container, Duration.ofSeconds(10))
        .get("status")).isEqualTo(401);
  }

  /**
   * 150 requests that declare 10 MB and send one byte: the gateway allocates for what arrives, not for what was
   * declared (it used to allocate the declared length up front, 1.5 GB here, and ran a 1 GB heap out of memory),
   * and each is logged with the 408 it was answered.
   */
  @ParameterizedTest
  @EnumSource(Container.class)
  void declaredLengthsAreNotAllocatedBeforeTheBytesArrive(Container container) throws Exception {
    WebappServer server = server(container, DEFAULT_LIMIT, "10485760");
    long before = allocatedByAllThreads();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 150; i++) {
        Socket s = open(server, "POST /v1/chat/completions HTTP/1.1", "Content-Length: 10000000",
            "Authorization: Bearer " + KEY, "X-Request-Id: unsent-" + container + "-" + i);
        s.getOutputStream().write('{');
        sockets.add(s);
      }
      for (Socket s : sockets) {
        s.setSoTimeout(15_000);
        assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 408");
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    // The declared lengths add up to 1.5 GB; what arrived needs 150 small buffers and the answers' own garbage.
    assertThat(allocatedByAllThreads() - before).isLessThan(100_000_000L);
    assertThat(new RequestLogRows(server.database()).await("unsent-" + container + "-3", Duration.ofSeconds(10))
        .get("status")).isEqualTo(408); // logged as answered, not as the 200 a thrown OutOfMemoryError left
  }

  /** Bytes allocated so far by the live threads (the containers' pools live through the test). */
  private static long allocatedByAllThreads() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long n : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      total += Math.max(0, n);
    }
    return total;
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void oversizeBodiesGetAReadable413InTheirDialect(Container container) throws Exception {
    WebappServer server = server(container);
    String big = "{\"model\":\"echo\",\"pad\":\"" + "x".repeat(150_000) + "\"}";
    RawHttp.Answer declared = RawHttp.send(server.baseUrl(), "POST", "/v1/chat/completions", big,
        "Authorization", "Bearer " + KEY);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(Http.JSON.readTree(declared.body()).path("error").path("code").asText())
        .isEqualTo("request_too_large");
    RawHttp.Answer messages = RawHttp.send(server.baseUrl(), "POST", "/v1/messages", big, "x-api-key", KEY);
    assertThat(messages.status()).isEqualTo(413);
    assertThat(Http.JSON.readTree(messages.body()).path("error").path("type").asText())
        .isEqualTo("request_too_large");
    try (Socket s = open(server, "POST /v1/chat/completions HTTP/1.1", "Transfer-Encoding: chunked",
        "Authorization: Bearer " + KEY, "X-Request-Id: chunked-413-" + container)) {
      sendChunked(s, "y".repeat(200_000).getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(10_000);
      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 413");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aChunkedBodyArrivingSlowlyIsServed(Container container) throws Exception {
    WebappServer server = server(container);
    String pad = "z".repeat(9_000);
    String chat = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\""
        + pad.repeat(10) + "\"}";
    byte[] bytes = chat.getBytes(StandardCharsets.US_ASCII);
    try (Socket s = open(server, "POST /v1/chat/completions HTTP/1.1", "Transfer-Encoding: chunked",
        "Authorization: Bearer " + KEY, "Connection: close")) {
      sendChunked(s, bytes);
      s.setSoTimeout(10_000);
      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void anOversizeBodyAwaiting100ContinueGetsIts413AtOnce(Container container) throws Exception {
    WebappServer server = server(container);
    try (Socket s = open(server, "POST /v1/chat/completions HTTP/1.1", "Content-Length: 5000000",
        "Expect: 100-continue", "Authorization: Bearer " + KEY)) {
      s.setSoTimeout(5_000);
      String answer = readAll(s.getInputStream()); // no body sent: a 413 that waited for it would time out
      assertThat(answer).contains("HTTP/1.1 413").contains("request_too_large");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aBrokenChunkedBodyGetsAJson400OrAClosedConnection(Container container) throws Exception {
    WebappServer server = server(container);
    try (Socket s = open(server, "POST /v1/chat/completions HTTP/1.1", "Transfer-Encoding: chunked",
        "Authorization: Bearer " + KEY)) {
      s.getOutputStream().write("zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(10_000);
      String answer = readAll(s.getInputStream());
      if (answer.isEmpty()) {
        // Tomcat closes the connection at once after a read error on a non-blocking body, answering nothing.
        assertThat(container).isEqualTo(Container.TOMCAT);
        return;
      }
      assertThat(answer).startsWith("HTTP/1.1 400");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertThat(Http.JSON.readTree(body).path("error").path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(body).doesNotContain("Exception").doesNotContain("Tomcat").doesNotContain("Jetty");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void formEncodedBodiesAreReadAsJson(Container container) throws Exception {
    WebappServer server = server(container);
    String form = "application/x-www-form-urlencoded";
    RawHttp.Answer key = RawHttp.send(server.baseUrl(), "POST", "/admin/keys", "{\"name\":\"team-a\"}",
        "Authorization", "Bearer " + ADMIN, "Content-Type", form);
    assertThat(key.status()).isEqualTo(201);
    assertThat(Http.JSON.readTree(key.body()).path("key").asText()).isNotBlank();
    RawHttp.Answer chat = RawHttp.send(server.baseUrl(), "POST", "/v1/chat/completions", CHAT,
        "Authorization", "Bearer " + KEY, "Content-Type", form);
    assertThat(chat.status()).isEqualTo(200);
    RawHttp.Answer queryKey = RawHttp.send(server.baseUrl(), "POST", "/v1/chat/completions?api_key=" + KEY, CHAT,
        "Content-Type", form);
    assertThat(queryKey.status()).isEqualTo(200);
    assertThat(Http.JSON.readTree(queryKey.body()).path("choices").get(0).path("message").path("content").asText())
        .contains("hi");
    RawHttp.Answer plain = RawHttp.send(server.baseUrl(), "POST", "/admin/keys", "{\"name\":\"team-b\"}",
        "Authorization", "Bearer " + ADMIN, "Content-Type", "text/plain");
    assertThat(plain.status()).isEqualTo(201);
  }

  /** A connection with this request's head sent (none when {@code requestLine} is null). */
  private static Socket open(WebappServer server, String requestLine, String... headers) throws IOException {
    URI base = URI.create(server.baseUrl());
    Socket s = new Socket();
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    if (requestLine == null) {
      return s;
    }
    StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n")
        .append("Content-Type: application/json\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    OutputStream out = s.getOutputStream();
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  /** The body in chunks of 10,000 bytes, 20 ms apart, then the last chunk. */
  private static void sendChunked(Socket s, byte[] body) throws Exception {
    OutputStream out = s.getOutputStream();
    for (int at = 0; at < body.length; at += 10_000) {
      int n = Math.min(10_000, body.length - at);
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, n);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(20);
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
