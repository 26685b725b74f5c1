package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.WebappServer;
import io.tollgate.testing.WebappServer.Container;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client that closes its connection while nothing is being written to it (the upstream has not answered yet, or
 * the gateway waits to retry) cancels the upstream request within a second: the container must tell the webapp,
 * not just the next write. On Tomcat, for a plain and a streamed chat.
 *
 * <p>Not on Jetty 12 (ee10), a known gap: it reads nothing from the connection of a request whose body it has read
 * until the response ends, and offers a webapp no read that would see the end of the stream (see AsyncReply and
 * ClientWatch). There a client that left is noticed at the next write only.
 */
class ClientDisconnectTest {
  private static final String KEY = "sk-tollgate-disconnect";
  /** The bound under test is one second; the margin is for a loaded machine. */
  private static final Duration NOTICED = Duration.ofMillis(1500);
  private static final Map<Container, WebappServer> SERVERS = new EnumMap<>(Container.class);
  private static final Map<Container, FakeUpstream> UPSTREAMS = new EnumMap<>(Container.class);

  private static synchronized WebappServer server(Container container) throws IOException {
    WebappServer running = SERVERS.get(container);
    if (running == null) {
      FakeUpstream upstream = FakeUpstream.start();
      Path yaml = Files.createTempFile("tollgate", ".yaml");
      Files.writeString(yaml, """
          providers:
            - name: main
              type: openai
              base_url: %s
              api_keys: [sk-upstream]
          models:
            - name: gpt-test
              targets: [{provider: main, model: upstream-model}]
          clients:
            - name: disconnect-tests
              key: %s
          """.formatted(upstream.baseUrl(), KEY));
      // A retry waits up to 3 s (full jitter below RETRY_DELAY), within the time the backoff test waits.
      running = container.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "READ_TIMEOUT", "30",
          "RETRY_TIMES", "2", "RETRY_DELAY", "3", "RETRY_MAX_DELAY", "3", "TOTAL_TIMEOUT", "300"));
      SERVERS.put(container, running);
      UPSTREAMS.put(container, upstream);
    }
    return running;
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(WebappServer::close);
    UPSTREAMS.values().forEach(FakeUpstream::close);
  }

  @ParameterizedTest(name = "{0}, stream={1}")
  @CsvSource({"TOMCAT, false", "TOMCAT, true"})
  void aClientLeavingBeforeTheUpstreamAnswersCancelsTheUpstreamRequest(Container container, boolean stream)
      throws Exception {
    WebappServer server = server(container);
    FakeUpstream upstream = UPSTREAMS.get(container);
    upstream.reset();
    upstream.enqueue(FakeResponse.json(200, "{}").withHeadersDelay(Duration.ofSeconds(30)));
    String id = "req-gone-" + container + "-" + stream;
    try (Socket client = send(server, id, stream)) {
      upstream.takeRequest();
      Thread.sleep(300);
    }
    long left = System.nanoTime();
    assertThat(upstream.awaitClientDisconnect(NOTICED)).as("the gateway hung up on the upstream").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(NOTICED);
    assertClientClosedIsLogged(server, id);
  }

  @ParameterizedTest(name = "{0}, stream={1}")
  @CsvSource({"TOMCAT, false", "TOMCAT, true"})
  void aClientLeavingDuringTheRetryBackoffStopsTheRetry(Container container, boolean stream) throws Exception {
    WebappServer server = server(container);
    FakeUpstream upstream = UPSTREAMS.get(container);
    upstream.reset();
    upstream.enqueue(FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}"));
    // Should the jitter pick a wait shorter than 300 ms, the retry hangs and the client's leaving must end it.
    upstream.enqueue(FakeResponse.json(200, "{}").withHeadersDelay(Duration.ofSeconds(30)));
    String id = "req-backoff-" + container + "-" + stream;
    int asked;
    try (Socket client = send(server, id, stream)) {
      upstream.takeRequest();
      Thread.sleep(300);
      asked = upstream.requestCount();
    }
    Thread.sleep(NOTICED.toMillis());
    int noticed = upstream.requestCount();
    if (noticed > asked) {
      // The jitter ended the backoff before the gateway noticed: that retry must be cut off like any attempt.
      assertThat(upstream.awaitClientDisconnect(Duration.ZERO)).as("the retry was cancelled").isTrue();
    }
    Thread.sleep(3000 - NOTICED.toMillis());
    assertThat(upstream.requestCount()).as("upstream requests once the client's leaving was noticed")
        .isEqualTo(noticed);
    assertClientClosedIsLogged(server, id);
  }

  private static void assertClientClosedIsLogged(WebappServer server, String id) {
    Map<String, Object> row = new RequestLogRows(server.database()).await(id, Duration.ofSeconds(5));
    assertThat(String.valueOf(row.get("error"))).contains("client closed the connection");
  }

  /** A chat request sent whole in one write, as most clients do; the answer is never read. */
  private static Socket send(WebappServer server, String requestId, boolean stream) throws IOException {
    URI base = URI.create(server.baseUrl());
    String body = "{\"model\":\"gpt-test\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + KEY + "\r\nX-Request-Id: " + requestId + "\r\nContent-Length: "
        + body.length() + "\r\n\r\n";
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.getOutputStream().write((head + body).getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }
}
