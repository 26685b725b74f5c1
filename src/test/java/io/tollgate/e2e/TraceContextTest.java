package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import io.tollgate.testing.RequestLogRows;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * W3C trace context through the gateway: the caller's trace id reaches the upstream with the gateway's span as the
 * parent, and the request's log row; an invalid traceparent is replaced by a new trace and never passed on.
 */
class TraceContextTest {
  private static final String KEY = "sk-tollgate-trace-test";
  private static final String ADMIN = "admin-key-for-trace-tests";
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String STALE = "00-11111111111111111111111111111111-2222222222222222-01";
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    String url = "http://127.0.0.1:" + upstream.port() + "/v1";
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: plain, type: openai, base_url: %1$s, api_key: k}
          - name: fixed
            type: openai
            base_url: %1$s
            api_key: k
            options: {headers: {traceparent: "%2$s", tracestate: "stale=1"}}
        models:
          - {name: plain, targets: [{provider: plain}]}
          - {name: fixed, targets: [{provider: fixed}]}
        clients: [{name: trace-tests, key: %3$s}]
        """.formatted(url, STALE, KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "READ_TIMEOUT", "5", "RETRY_TIMES", "1", "RETRY_DELAY", "1ms", "USAGE_LINGER", "5ms"));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stopAll() {
    server.close();
    upstream.close();
  }

  @BeforeEach
  void forget() {
    upstream.reset();
  }

  @Test
  void callersTraceReachesTheUpstreamWithTheGatewaysSpanAndTheLogRow() {
    HttpResponse<String> answer = chat("plain", false, "traceparent", "00-" + TRACE + "-" + PARENT + "-01",
        "tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    assertThat(answer.statusCode()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    String[] parts = sent.header("traceparent").split("-");
    assertThat(parts).hasSize(4);
    assertThat(parts[0]).isEqualTo("00");
    assertThat(parts[1]).isEqualTo(TRACE);
    assertThat(parts[2]).matches("[0-9a-f]{16}").isNotEqualTo(PARENT);
    assertThat(parts[3]).isEqualTo("01");
    assertThat(sent.header("tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");

    String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(rows.await(requestId, Duration.ofSeconds(10)).get("trace_id")).isEqualTo(TRACE);
    JsonNode row = Http.json(Http.get(server.baseUrl() + "/admin/logs/" + requestId, "Authorization",
        bearer(ADMIN)));
    assertThat(row.path("trace_id").asText()).isEqualTo(TRACE);
  }

  @Test
  void everyAttemptAndAStreamCarryTheSameTraceAndSpan() {
    upstream.enqueue(FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}"));
    HttpResponse<String> answer = chat("plain", true, "traceparent", "00-" + TRACE + "-" + PARENT + "-00");
    assertThat(answer.statusCode()).isEqualTo(200);
    String first = upstream.takeRequest().header("traceparent");
    String retry = upstream.takeRequest().header("traceparent");
    assertThat(first).startsWith("00-" + TRACE + "-").endsWith("-00").isEqualTo(retry);
  }

  @Test
  void withoutATraceparentTheGatewayStartsATraceAndLogsIt() {
    HttpResponse<String> answer = chat("plain", false, "tracestate", "orphan=1");
    assertThat(answer.statusCode()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(sent.header("tracestate")).isNull();
    String traceId = sent.header("traceparent").substring(3, 35);
    String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(rows.await(requestId, Duration.ofSeconds(10)).get("trace_id")).isEqualTo(traceId);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // too short
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // too long for version 00
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa\tba902b7-01", // a control character
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // uppercase
  })
  void invalidTraceparentIsReplacedAndNeverForwarded(String invalid) {
    // Raw, so the header goes out exactly as written (the JDK's client refuses some of these). The recorded header
    // is one value in the pattern below: a second, forwarded traceparent would have been joined to it.
    RawHttp.Answer answer = RawHttp.send(server.baseUrl(), "POST", "/v1/chat/completions", body("plain", false),
        "Authorization", bearer(KEY), "traceparent", invalid, "tracestate", "congo=t61rcWkgMzE");
    assertThat(answer.status()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
        .doesNotContain(TRACE).doesNotContain("00f067aa0ba902b7").isNotEqualTo(invalid);
    assertThat(sent.header("tracestate")).isNull();
    Map<String, Object> row = rows.await(answer.header("X-Request-Id"), Duration.ofSeconds(10));
    assertThat(row.get("trace_id")).isEqualTo(sent.header("traceparent").substring(3, 35));
  }

  @Test
  void providersFixedTraceHeadersGiveWayToTheRequestsTrace() {
    assertThat(chat("fixed", false, "traceparent", "00-" + TRACE + "-" + PARENT + "-01").statusCode())
        .isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.header("traceparent")).startsWith("00-" + TRACE + "-").isNotEqualTo(STALE);
    assertThat(sent.header("tracestate")).isNull();
  }

  private static HttpResponse<String> chat(String model, boolean stream, String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", bearer(KEY)));
    all.addAll(List.of(headers));
    return Http.post(server.baseUrl() + "/v1/chat/completions", body(model, stream), all.toArray(String[]::new));
  }

  private static String body(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }
}
