package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.PrometheusText;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /metrics after real traffic: requests by model, provider, dialect and status (a cache hit, an upstream
 * failure, an unknown model, both dialects), latency and first-byte histograms, tokens, the open-streams gauge, the
 * JVM's and the pool's meters, in a text a Prometheus scraper parses. Each test uses models of its own, so the
 * counts it expects are its own whatever runs first.
 */
class MetricsTest {
  private static final String KEY = "sk-tollgate-metrics-tests";
  private static final List<String> LATENCY_BUCKETS = List.of("0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
      "30.0", "60.0", "120.0", "300.0", "+Inf");
  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate-metrics", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: main, type: openai, base_url: %s, api_key: sk-upstream}
        models:
          - {name: chat-model, targets: [{provider: main, model: upstream-chat}]}
          - {name: flaky-model, targets: [{provider: main, model: upstream-flaky}]}
          - {name: slow-model, targets: [{provider: main, model: upstream-slow}]}
        clients:
          - {name: metrics-tests, key: %s}
        """.formatted(upstream.baseUrl(), KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "0",
        "READ_TIMEOUT", "10"));
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  @Test
  void requestsAreCountedByModelProviderDialectAndStatusWithTheirLatencyAndTokens() {
    assertThat(chat("{\"model\":\"chat-model\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"cached\"}]}").headers().firstValue("x-tollgate-cache")).hasValue("miss");
    assertThat(chat("{\"model\":\"chat-model\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"cached\"}]}").headers().firstValue("x-tollgate-cache")).hasValue("hit");
    StreamedChat.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"chat-model\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"stream\"}]}", "Authorization", bearer(KEY));
    HttpResponse<String> messages = Http.post(server.baseUrl() + "/v1/messages", "{\"model\":\"chat-model\","
        + "\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", KEY,
        "anthropic-version", "2023-06-01");
    assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"The server had an error\"}}"));
    assertThat(post("{\"model\":\"flaky-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .statusCode()).isEqualTo(502);
    assertThat(post("{\"model\":\"no-such-model-3f9a\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .statusCode()).isEqualTo(404);

    PrometheusText m = awaitMetrics(t -> t.sum("tollgate_requests_total", "model", "chat-model") >= 4
        && t.sum("tollgate_requests_total", "model", "flaky-model") >= 1
        && t.sum("tollgate_requests_total", "status", "404") >= 1);
    assertThat(m.type("tollgate_requests_total")).isEqualTo("counter");
    assertThat(m.value("tollgate_requests_total", "model", "chat-model", "provider", "main", "dialect", "openai",
        "status", "200", "stream", "false")).as("the miss").isEqualTo(1);
    assertThat(m.value("tollgate_requests_total", "model", "chat-model", "provider", "none", "dialect", "openai",
        "status", "200", "stream", "false")).as("the hit: no provider asked").isEqualTo(1);
    assertThat(m.value("tollgate_requests_total", "model", "chat-model", "provider", "main", "dialect", "openai",
        "status", "200", "stream", "true")).isEqualTo(1);
    assertThat(m.value("tollgate_requests_total", "model", "chat-model", "provider", "main", "dialect",
        "anthropic", "status", "200", "stream", "false")).isEqualTo(1);
    assertThat(m.value("tollgate_requests_total", "model", "flaky-model", "provider", "main", "dialect", "openai",
        "status", "502", "stream", "false")).isEqualTo(1);
    assertThat(m.sum("tollgate_requests_total", "model", "unknown", "provider", "none", "status", "404"))
        .as("a name no entry serves").isGreaterThanOrEqualTo(1);
    assertThat(m.samples()).as("no series for a client's arbitrary model name")
        .noneMatch(s -> s.labels().containsValue("no-such-model-3f9a"));

    assertThat(m.value("tollgate_upstream_failed_attempts_total", "kind", "server")).isGreaterThanOrEqualTo(1);
    assertThat(m.value("tollgate_cache_lookups_total", "outcome", "hit")).isGreaterThanOrEqualTo(1);
    assertThat(m.value("tollgate_cache_lookups_total", "outcome", "miss")).isGreaterThanOrEqualTo(1);
    // The miss, the stream and the Anthropic request each used 7 prompt and 3 completion tokens; the hit none.
    assertThat(m.value("tollgate_tokens_total", "model", "chat-model", "provider", "main", "direction", "input"))
        .isEqualTo(21);
    assertThat(m.value("tollgate_tokens_total", "model", "chat-model", "provider", "main", "direction", "output"))
        .isEqualTo(9);

    assertThat(m.type("tollgate_request_duration_seconds")).isEqualTo("histogram");
    assertThat(m.find("tollgate_request_duration_seconds_bucket", "model", "chat-model", "provider", "main",
        "stream", "false")).extracting(s -> s.labels().get("le")).containsExactlyElementsOf(LATENCY_BUCKETS);
    assertThat(m.value("tollgate_request_duration_seconds_count", "model", "chat-model", "provider", "main",
        "stream", "false")).as("the miss and the Anthropic request").isEqualTo(2);
    assertThat(m.value("tollgate_request_first_byte_seconds_count", "model", "chat-model", "provider", "main",
        "stream", "true")).isEqualTo(1);
    assertThat(m.value("tollgate_request_first_byte_seconds_bucket", "model", "chat-model", "provider", "main",
        "stream", "true", "le", "+Inf")).isEqualTo(1);
  }

  @Test
  void theJvmThePoolAndTheServicesAreThereWithTheirOldNames() {
    PrometheusText m = PrometheusText.scrape(server.baseUrl());
    assertThat(m.families()).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
        "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_uptime_seconds", "system_cpu_count",
        "hikaricp_connections_active", "hikaricp_connections_max",
        "tollgate_request_log_written_total", "tollgate_request_log_dropped_total",
        "tollgate_access_log_dropped_total", "tollgate_request_log_write_failures_total",
        "tollgate_request_log_pending", "tollgate_request_log_queued", "tollgate_upstream_retries_total",
        "tollgate_upstream_failed_attempts_total", "tollgate_breaker_transitions_total", "tollgate_breakers",
        "tollgate_limit_db_statements_total", "tollgate_cache_lookups_total",
        "tollgate_cache_shared_writes_dropped_total", "tollgate_streams_open");
    assertThat(m.value("hikaricp_connections_max", "pool", "tollgate-db")).isPositive();
    assertThat(m.value("tollgate_breakers", "state", "open")).isZero();

    HttpResponse<String> open = Http.get(server.baseUrl() + "/metrics", "Accept",
        "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5");
    assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
    assertThat(open.body()).contains("# TYPE tollgate_upstream_retries counter").endsWith("# EOF\n");
  }

  @Test
  void anOpenStreamIsOnTheGaugeUntilItsClientLeaves() throws Exception {
    upstream.enqueue(FakeResponse.endless("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"la\"},\"finish_reason\":null}]}",
        Duration.ofMillis(50)));
    HttpRequest request = Http.builder(server.baseUrl() + "/v1/chat/completions", "Authorization", bearer(KEY),
        "Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow-model\","
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go on\"}]}")).build();
    HttpResponse<InputStream> stream = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = stream.body()) {
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(in.read()).as("the first event's first byte").isPositive();
      assertThat(PrometheusText.scrape(server.baseUrl()).value("tollgate_streams_open")).isEqualTo(1);
    }
    PrometheusText m = awaitMetrics(t -> t.value("tollgate_streams_open") == 0
        && t.sum("tollgate_requests_total", "model", "slow-model") == 1);
    assertThat(m.value("tollgate_streams_open")).as("the stream ended with its client").isZero();
    assertThat(m.value("tollgate_requests_total", "model", "slow-model", "provider", "main", "dialect", "openai",
        "status", "200", "stream", "true")).isEqualTo(1);
  }

  private static HttpResponse<String> chat(String body) {
    HttpResponse<String> r = post(body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private static HttpResponse<String> post(String body) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", body, "Authorization", bearer(KEY));
  }

  /** Requests are counted by the log writer, up to one linger (50 ms) after their response: scrape until done. */
  private static PrometheusText awaitMetrics(Predicate<PrometheusText> done) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      PrometheusText m = PrometheusText.scrape(server.baseUrl());
      if (done.test(m) || System.nanoTime() > deadline) {
        return m;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return m;
      }
    }
  }
}
