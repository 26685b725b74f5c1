package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.CleartextUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.TlsUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider's connection options, seen from a Jetty upstream on plain http:// that speaks HTTP/1.1 and h2c and
 * counts its TCP connections: {@code h2c: true} gives HTTP/2 by prior knowledge, connections are reused by default,
 * {@code keep_alive: off} opens one per request, and {@code max_keepalive: 1} keeps one idle after a burst. Each
 * counting case has an upstream of its own, so no other case's pooled connections are counted.
 */
class UpstreamConnectionsTest {
  private static final String KEY = "sk-tollgate-connections-test";
  private static final int BURST = 4;
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static CleartextUpstream protocols;
  private static CleartextUpstream reused;
  private static CleartextUpstream closing;
  private static CleartextUpstream pooled;
  private static CleartextUpstream oneIdle;
  private static GatewayServer server;

  @BeforeAll
  static void startAll() throws Exception {
    protocols = CleartextUpstream.start();
    reused = CleartextUpstream.start();
    closing = CleartextUpstream.start();
    pooled = CleartextUpstream.start();
    oneIdle = CleartextUpstream.start();
    Path yaml = Files.createTempDirectory("tollgate-connections").resolve("tollgate.yaml");
    Files.writeString(yaml, """
        providers:
          - {name: h2c, type: openai, base_url: %1$s, api_key: k, options: {h2c: true}}
          - {name: http11, type: openai, base_url: %1$s, api_key: k}
          - {name: reused, type: openai, base_url: %2$s, api_key: k}
          - {name: closing, type: openai, base_url: %3$s, api_key: k, options: {keep_alive: off}}
          - {name: pooled, type: openai, base_url: %4$s, api_key: k}
          - {name: one-idle, type: openai, base_url: %5$s, api_key: k, options: {max_keepalive: 1}}
        models:
          - {name: h2c, targets: [{provider: h2c}]}
          - {name: http11, targets: [{provider: http11}]}
          - {name: reused, targets: [{provider: reused}]}
          - {name: closing, targets: [{provider: closing}]}
          - {name: pooled, targets: [{provider: pooled}]}
          - {name: one-idle, targets: [{provider: one-idle}]}
        clients: [{name: connection-tests, key: %6$s}]
        """.formatted(protocols.baseUrl(), reused.baseUrl(), closing.baseUrl(), pooled.baseUrl(), oneIdle.baseUrl(),
        KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "READ_TIMEOUT", "15",
        "CONNECT_TIMEOUT", "5"));
  }

  @AfterAll
  static void stopAll() {
    server.close();
    for (CleartextUpstream u : List.of(protocols, reused, closing, pooled, oneIdle)) {
      u.close();
    }
  }

  @Test
  void h2cReachesACleartextHttp2Upstream() {
    protocols.takeProtocols();
    assertThat(content(chat("h2c"))).isEqualTo(TlsUpstream.CONTENT);
    assertThat(StreamedChat.post(server.baseUrl() + "/v1/chat/completions", body("h2c", true),
        "Authorization", bearer(KEY)).text()).isEqualTo(TlsUpstream.CONTENT);
    assertThat(protocols.takeProtocols()).containsExactly("HTTP/2.0", "HTTP/2.0");
  }

  @Test
  void withoutH2cTheSameUpstreamIsCalledOverHttp11() {
    protocols.takeProtocols();
    assertThat(content(chat("http11"))).isEqualTo(TlsUpstream.CONTENT);
    assertThat(StreamedChat.post(server.baseUrl() + "/v1/chat/completions", body("http11", true),
        "Authorization", bearer(KEY)).text()).isEqualTo(TlsUpstream.CONTENT);
    assertThat(protocols.takeProtocols()).containsExactly("HTTP/1.1", "HTTP/1.1");
  }

  @Test
  void sequentialRequestsReuseOneConnectionByDefault() {
    for (int i = 0; i < 5; i++) {
      assertThat(content(chat("reused"))).isEqualTo(TlsUpstream.CONTENT);
    }
    assertThat(StreamedChat.post(server.baseUrl() + "/v1/chat/completions", body("reused", true),
        "Authorization", bearer(KEY)).text()).isEqualTo(TlsUpstream.CONTENT);
    assertThat(reused.takeProtocols()).hasSize(6);
    assertThat(reused.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void keepAliveOffOpensAConnectionPerRequest() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(content(chat("closing"))).isEqualTo(TlsUpstream.CONTENT);
    }
    assertThat(closing.takeProtocols()).hasSize(5).containsOnly("HTTP/1.1");
    assertThat(closing.acceptedConnections()).isEqualTo(5);
    assertThat(settle(closing::openConnections, 0)).as("connections left open").isZero();
  }

  @Test
  void withoutALimitABurstLeavesEveryConnectionIdle() throws Exception {
    burst(pooled, "pooled");
    int accepted = pooled.acceptedConnections();
    assertThat(accepted).isGreaterThanOrEqualTo(BURST);
    // Nothing closes them within the default keep-alive of 30 s.
    Thread.sleep(500);
    assertThat(pooled.openConnections()).isEqualTo(accepted);
  }

  @Test
  void maxKeepAliveOneLeavesOneIdleConnectionAfterABurst() throws Exception {
    burst(oneIdle, "one-idle");
    int accepted = oneIdle.acceptedConnections();
    assertThat(accepted).isGreaterThanOrEqualTo(BURST);
    assertThat(settle(oneIdle::openConnections, 1)).as("idle connections left open").isLessThanOrEqualTo(1);
    // The one kept is used again, and the pool still has room for a burst.
    assertThat(content(chat("one-idle"))).isEqualTo(TlsUpstream.CONTENT);
    assertThat(oneIdle.acceptedConnections()).isEqualTo(accepted);
    assertThat(oneIdle.takeProtocols()).hasSize(1);
    burst(oneIdle, "one-idle");
    assertThat(settle(oneIdle::openConnections, 1)).as("idle connections left open").isLessThanOrEqualTo(1);
  }

  /**
   * {@link #BURST} requests in flight at the upstream at once, then all answered. Jetty's pool may open one
   * connection more than the requests need when they arrive together (its demand counts the queue plus one), so
   * callers count connections with at least, not exactly.
   */
  private static void burst(CleartextUpstream upstream, String model) throws Exception {
    upstream.hold();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < BURST; i++) {
        calls.add(CompletableFuture.supplyAsync(() -> chat(model)));
      }
      assertThat(upstream.awaitWaiting(BURST, Duration.ofSeconds(10))).as("all requests reach the upstream").isTrue();
    } finally {
      upstream.letGo();
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertThat(content(call.get(15, TimeUnit.SECONDS))).isEqualTo(TlsUpstream.CONTENT);
    }
    assertThat(upstream.takeProtocols()).hasSize(BURST);
  }

  /** The count once it is at most {@code target}, or after {@link #SETTLE}, whichever comes first. */
  private static int settle(IntSupplier count, int target) throws InterruptedException {
    long end = System.nanoTime() + SETTLE.toNanos();
    while (count.getAsInt() > target && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    return count.getAsInt();
  }

  private static HttpResponse<String> chat(String model) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", body(model, false), "Authorization", bearer(KEY));
  }

  private static String body(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static String content(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Http.json(response).at("/choices/0/message/content").asText();
  }
}
