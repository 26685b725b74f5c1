package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.testing.FakeCollector;
import io.tollgate.testing.FakeCollector.Received;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans exported over OTLP/HTTP to a collector on loopback, configured with the standard OTEL_* names: one SERVER
 * span per request, continuing the caller's trace, with the very span id the upstream was given as its parent.
 */
class OpenTelemetryExportTest {
  static final String KEY = "sk-tollgate-otel-SECRET-1";
  static final String UPSTREAM_KEY = "sk-upstream-otel-SECRET-2";
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static FakeUpstream upstream;
  private static FakeCollector collector;
  private static GatewayServer server;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    collector = FakeCollector.start();
    server = GatewayServer.startWithoutDatabase(settings(upstream, collector, "20"));
  }

  /** A gateway whose batch processor exports every {@code scheduleDelayMs}. */
  static Map<String, String> settings(FakeUpstream upstream, FakeCollector collector, String scheduleDelayMs)
      throws Exception {
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: main, type: openai, base_url: %s, api_keys: [%s]}
        models:
          - {name: gpt-test, targets: [{provider: main, model: upstream-model}]}
        clients:
          - {name: otel-tests, key: %s}
        """.formatted(upstream.baseUrl(), UPSTREAM_KEY, KEY));
    return Map.of("TOLLGATE_CONFIG", yaml.toString(), "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
        "OTEL_BSP_SCHEDULE_DELAY", scheduleDelayMs, "USAGE_LINGER", "5ms", "RETRY_TIMES", "0");
  }

  @AfterAll
  static void stopAll() {
    server.close();
    collector.close();
    upstream.close();
  }

  @BeforeEach
  void forget() {
    upstream.reset();
  }

  @Test
  void theCallersTraceGetsTheGatewaysSpanWithTheIdItsUpstreamSaw() throws Exception {
    upstream.enqueue(answer());
    Instant before = Instant.now().minusMillis(1);
    HttpResponse<String> reply = chat("traceparent", "00-" + TRACE + "-" + PARENT + "-01",
        "tracestate", "congo=t61rcWkgMzE");
    Instant after = Instant.now().plusMillis(1);
    assertThat(reply.statusCode()).isEqualTo(200);
    String sentUpstream = upstream.takeRequest().header("traceparent");

    Received got = collector.await(s -> s.traceId().equals(TRACE), WAIT).orElseThrow();
    Span span = got.span();
    assertThat(got.parentSpanId()).isEqualTo(PARENT);
    assertThat(got.spanId()).isEqualTo(sentUpstream.split("-")[2]).isNotEqualTo(PARENT);
    assertThat(span.getName()).isEqualTo("POST /v1/chat/completions");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getTraceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(span.getStartTimeUnixNano()).isBetween(nanos(before), nanos(after));
    assertThat(span.getEndTimeUnixNano()).isBetween(span.getStartTimeUnixNano(), nanos(after));
    assertThat(got.attribute("http.request.method")).isEqualTo("POST");
    assertThat(got.attribute("url.path")).isEqualTo("/v1/chat/completions");
    assertThat(got.attribute("http.response.status_code")).isEqualTo("200");
    assertThat(got.attribute("gen_ai.request.model")).isEqualTo("gpt-test");
    assertThat(got.attribute("tollgate.upstream_model")).isEqualTo("upstream-model");
    assertThat(got.attribute("gen_ai.system")).isEqualTo("main");
    assertThat(got.attribute("gen_ai.usage.input_tokens")).isEqualTo("7");
    assertThat(got.attribute("gen_ai.usage.output_tokens")).isEqualTo("3");
    assertThat(got.attribute("tollgate.key")).isEqualTo("otel-tests");
    assertThat(got.attribute("tollgate.request_id")).isEqualTo(reply.headers().firstValue("X-Request-Id")
        .orElseThrow());
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(got.resourceAttribute("service.name")).isEqualTo("tollgate");
    assertThat(collector.requests()).allMatch(r -> r.equals("POST /v1/traces application/x-protobuf"));
    assertNoKeyWasExported();
    assertThat(awaitMetrics("(?ms).*^tollgate_spans_total\\{outcome=\"exported\",?} [1-9].*"))
        .as("the collector's answer counted").contains("tollgate_spans_total{outcome=\"dropped\"");
  }

  @Test
  void aTraceTheGatewayBeganHasItsIdsAndNoParent() {
    upstream.enqueue(answer());
    assertThat(chat("traceparent", "00-" + TRACE.replace('4', '5') + "-00f067aa0ba902b7-1x").statusCode())
        .as("an invalid traceparent starts a new trace").isEqualTo(200);
    String[] sent = upstream.takeRequest().header("traceparent").split("-");

    Received got = collector.await(s -> s.traceId().equals(sent[1]), WAIT).orElseThrow();
    assertThat(got.spanId()).isEqualTo(sent[2]);
    assertThat(got.span().getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void anUnsampledCallerGetsNoSpan() {
    String unsampled = "1bf92f3577b34da6a3ce929d0e0e4736";
    String sampled = "2bf92f3577b34da6a3ce929d0e0e4736";
    upstream.enqueue(answer()).enqueue(answer());
    assertThat(chat("traceparent", "00-" + unsampled + "-" + PARENT + "-00").statusCode()).isEqualTo(200);
    assertThat(chat("traceparent", "00-" + sampled + "-" + PARENT + "-01").statusCode()).isEqualTo(200);

    // The writer handles requests in order and the processor exports them in order: once the later one is in,
    // the earlier one would be too.
    assertThat(collector.await(s -> s.traceId().equals(sampled), WAIT)).isPresent();
    assertThat(collector.spans()).noneMatch(s -> s.traceId().equals(unsampled));
  }

  @Test
  void healthChecksAndScrapesGetNoSpan() {
    String probe = "6bf92f3577b34da6a3ce929d0e0e4736";
    String request = "7bf92f3577b34da6a3ce929d0e0e4736";
    for (String path : List.of("/healthz", "/health", "/metrics")) {
      assertThat(Http.get(server.baseUrl() + path, "traceparent", "00-" + probe + "-" + PARENT + "-01")
          .statusCode()).as(path).isEqualTo(200);
    }
    upstream.enqueue(answer());
    assertThat(chat("traceparent", "00-" + request + "-" + PARENT + "-01").statusCode()).isEqualTo(200);
    assertThat(collector.await(s -> s.traceId().equals(request), WAIT)).isPresent();
    assertThat(collector.spans()).noneMatch(s -> s.traceId().equals(probe));
  }

  @Test
  void aFailedRequestIsAnErrorSpan() {
    String failing = "3bf92f3577b34da6a3ce929d0e0e4736";
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"upstream broke\"}}"));
    assertThat(chat("traceparent", "00-" + failing + "-" + PARENT + "-01").statusCode()).isEqualTo(502);

    Received got = collector.await(s -> s.traceId().equals(failing), WAIT).orElseThrow();
    assertThat(got.attribute("http.response.status_code")).isEqualTo("502");
    assertThat(got.attribute("error.type")).isEqualTo("502");
    assertThat(got.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertNoKeyWasExported();
  }

  private static void assertNoKeyWasExported() {
    List<String> payloads = new ArrayList<>();
    collector.bodies().forEach(b -> payloads.add(new String(b, StandardCharsets.ISO_8859_1)));
    assertThat(payloads).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain(KEY)
        .doesNotContain(UPSTREAM_KEY).doesNotContain("SECRET").doesNotContain("Bearer"));
  }

  /** /metrics once it matches {@code pattern} (the count follows the collector's answer), or as it is at last. */
  private static String awaitMetrics(String pattern) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String metrics;
    do {
      metrics = Http.get(server.baseUrl() + "/metrics").body();
      Thread.sleep(20);
    } while (!metrics.matches(pattern) && System.nanoTime() < deadline);
    return metrics;
  }

  static FakeResponse answer() {
    return FakeResponse.json(200, """
        {"id":"c1","object":"chat.completion","created":1,"model":"upstream-model","choices":[{"index":0,
        "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}""");
  }

  private static HttpResponse<String> chat(String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", bearer(KEY)));
    all.addAll(List.of(headers));
    return Http.post(server.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        all.toArray(String[]::new));
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
