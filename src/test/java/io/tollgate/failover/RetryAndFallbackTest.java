package io.tollgate.failover;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.Http;
import io.tollgate.testing.PrometheusText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Failures another attempt can absorb never reach the client: 5xx and dropped connections are retried, a target
 * that cannot serve hands over to the next priority (of another provider type if need be), traffic is spread by
 * weight, and a target that keeps failing is skipped by its circuit breaker until a probe finds it well.
 */
class RetryAndFallbackTest extends FailoverFixture {

  @Test
  void anUpstream5xxOrAHangUpIsRetriedAndTheClientNeverSeesIt() {
    FakeUpstream up = upstream();
    start("""
          - {name: main, type: openai, base_url: %s, api_keys: [sk-main-only-key-000000]}
        """.formatted(up.baseUrl()), """
          - {name: chat, targets: [{provider: main, model: up-model}]}
        """);
    up.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"The server had an error\"}}"));
    up.enqueue(FakeResponse.hangUp());
    HttpResponse<String> r = chat("chat", false, "req-retry-5xx");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(up.requestCount()).isEqualTo(3);
    assertThat(row("req-retry-5xx")).containsEntry("attempts", 3).containsEntry("status", 200);
    JsonNode attempts = attempts(row("req-retry-5xx"));
    assertThat(attempts.get(0).path("status").asInt()).as("the upstream's own status").isEqualTo(500);
    assertThat(attempts.get(0).path("error").asText()).contains("HTTP 500");
    assertThat(attempts.get(1).path("error").asText()).contains("closed the connection before answering");
    assertThat(attempts.get(2).path("status").asInt()).isEqualTo(200);

    up.enqueue(FakeResponse.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
    HttpResponse<String> stream = chat("chat", true, "req-retry-stream");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body()).contains("data: [DONE]");
    PrometheusText metrics = PrometheusText.scrape(server.baseUrl());
    assertThat(metrics.value("tollgate_upstream_retries_total")).isEqualTo(3);
    assertThat(metrics.value("tollgate_upstream_failed_attempts_total", "kind", "server")).isEqualTo(2);
    assertThat(metrics.value("tollgate_upstream_failed_attempts_total", "kind", "connection")).isEqualTo(1);
  }

  @Test
  void whatNoRetryCanMendIsNotRetried() {
    FakeUpstream up = upstream();
    start("""
          - {name: main, type: openai, base_url: %s, api_keys: [sk-main-key-a-00000000, sk-main-key-b-00000000]}
        """.formatted(up.baseUrl()), """
          - {name: chat, targets: [{provider: main, model: up-model}]}
        """);
    up.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"messages is too long\"}}"));
    HttpResponse<String> bad = chat("chat", false, "req-no-retry-400");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(up.requestCount()).isEqualTo(1);

    // Once the stream has begun, a drop is the stream's end: an error event, not a second call.
    up.enqueue(FakeResponse.dropAfter(List.of("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}")));
    HttpResponse<String> dropped = chat("chat", true, "req-no-retry-dropped");
    assertThat(dropped.statusCode()).isEqualTo(200);
    assertThat(dropped.body()).contains("Hel").contains("\"error\"");
    assertThat(up.requestCount()).isEqualTo(2);
  }

  @Test
  void aFailedConnectionFallsBackToTheNextPriorityEvenOfAnotherProviderType() {
    FakeUpstream claude = upstream();
    start("""
          - {name: gone, type: openai, base_url: "http://127.0.0.1:9/v1", api_keys: [sk-gone-key-0000000000]}
          - {name: claude, type: anthropic, base_url: "http://127.0.0.1:%d", api_keys: [sk-ant-key-00000000000]}
        """.formatted(claude.port()), """
          - name: smart
            targets: [{provider: gone, model: gpt-x, priority: 1}, {provider: claude, model: claude-x, priority: 2}]
        """);
    claude.enqueue(FakeResponse.json(200, fixture("responses/text.anthropic.json")));
    HttpResponse<String> openAiClient = chat("smart", false, "req-fallback-openai");
    assertThat(openAiClient.statusCode()).isEqualTo(200);
    assertThat(Http.json(openAiClient).at("/choices/0/message/content").asText()).isEqualTo("Hello! How can I help?");
    assertThat(claude.takeRequest().path()).isEqualTo("/v1/messages");
    assertThat(row("req-fallback-openai")).containsEntry("provider", "claude").containsEntry("attempts", 2);
    assertThat(attempts(row("req-fallback-openai")).get(0).path("provider").asText()).isEqualTo("gone");

    claude.enqueue(FakeResponse.rawEvents(events("text.sse"), Duration.ZERO));
    HttpResponse<String> stream = chat("smart", true, "req-fallback-stream");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body()).contains("chat.completion.chunk").contains("data: [DONE]");

    claude.enqueue(FakeResponse.json(200, fixture("responses/text.anthropic.json")));
    HttpResponse<String> anthropicClient = Http.post(server.baseUrl() + "/v1/messages",
        "{\"model\":\"smart\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key", CLIENT, "anthropic-version", "2023-06-01");
    assertThat(anthropicClient.statusCode()).isEqualTo(200);
    assertThat(Http.json(anthropicClient).path("type").asText()).isEqualTo("message");
    // Sent as the client wrote it, with only the model swapped: the native path, chosen per attempt.
    assertThat(claude.takeRequest().json().path("model").asText()).isEqualTo("claude-x");
  }

  @Test
  void weightsSpreadTrafficWithinOnePriority() {
    FakeUpstream heavy = upstream();
    FakeUpstream light = upstream();
    start("""
          - {name: heavy, type: openai, base_url: %s}
          - {name: light, type: openai, base_url: %s}
        """.formatted(heavy.baseUrl(), light.baseUrl()), """
          - name: spread
            targets: [{provider: heavy, model: m, priority: 0, weight: 3}, {provider: light, model: m, priority: 0}]
        """);
    int n = 80;
    for (int i = 0; i < n; i++) {
      assertThat(chat("spread", false, "req-weight-" + i).statusCode()).isEqualTo(200);
    }
    double share = heavy.requestCount() / (double) n;
    // 3:1 expects 0.75; these bounds are more than four standard deviations (0.048) away.
    assertThat(share).isBetween(0.55, 0.95);
    assertThat(heavy.requestCount() + light.requestCount()).isEqualTo(n);
  }

  @Test
  void aTargetThatKeepsFailingIsSkippedByItsBreakerThenProbedBack() throws InterruptedException {
    FakeUpstream flaky = upstream();
    FakeUpstream backup = upstream();
    start("""
          - {name: flaky, type: openai, base_url: %s}
          - {name: backup, type: openai, base_url: %s}
        """.formatted(flaky.baseUrl(), backup.baseUrl()), """
          - name: guarded
            targets: [{provider: flaky, model: m}, {provider: backup, model: m}]
        """, "BREAKER_MIN_CALLS", "4", "BREAKER_WINDOW", "4", "BREAKER_OPEN_TIME", "1s", "RETRY_TIMES", "1");
    for (int i = 0; i < 4; i++) {
      flaky.enqueue(FakeResponse.json(502, "{\"error\":{\"message\":\"bad gateway\"}}"));
    }
    for (int i = 0; i < 4; i++) {
      assertThat(chat("guarded", false, "req-breaker-" + i).statusCode()).isEqualTo(200);
    }
    assertThat(flaky.requestCount()).isEqualTo(4);
    assertThat(backup.requestCount()).isEqualTo(4);
    JsonNode health = Http.json(Http.get(server.baseUrl() + "/health"));
    assertThat(health.at("/providers/flaky/circuits/flaky~1m").asText()).isEqualTo("open");
    assertThat(health.path("status").asText()).isEqualTo("ok");

    for (int i = 0; i < 3; i++) {
      assertThat(chat("guarded", false, "req-breaker-open-" + i).statusCode()).isEqualTo(200);
    }
    assertThat(flaky.requestCount()).as("an open breaker sends nothing").isEqualTo(4);
    assertThat(row("req-breaker-open-0")).containsEntry("attempts", 1).containsEntry("provider", "backup");

    Thread.sleep(1_200);
    assertThat(chat("guarded", false, "req-breaker-probe").statusCode()).isEqualTo(200);
    assertThat(flaky.requestCount()).as("one probe once the open time passed").isEqualTo(5);
    assertThat(Http.json(Http.get(server.baseUrl() + "/health")).at("/providers/flaky/circuits/flaky~1m").asText())
        .isEqualTo("closed");
    PrometheusText metrics = PrometheusText.scrape(server.baseUrl());
    assertThat(metrics.value("tollgate_breaker_transitions_total", "state", "open")).isEqualTo(1);
    assertThat(metrics.value("tollgate_breaker_transitions_total", "state", "closed")).isEqualTo(1);
    assertThat(metrics.value("tollgate_breakers", "state", "closed")).as("flaky's and backup's").isEqualTo(2);
  }

  @Test
  void whenEveryTargetIsOpenOneProbeStillGoesThrough() {
    FakeUpstream only = upstream();
    start("""
          - {name: only, type: openai, base_url: %s}
        """.formatted(only.baseUrl()), """
          - {name: lonely, targets: [{provider: only, model: m}]}
        """, "BREAKER_MIN_CALLS", "2", "BREAKER_WINDOW", "2", "BREAKER_OPEN_TIME", "10m", "RETRY_TIMES", "0");
    only.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"down\"}}"));
    only.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"down\"}}"));
    assertThat(chat("lonely", false, "req-open-1").statusCode()).isEqualTo(502);
    assertThat(chat("lonely", false, "req-open-2").statusCode()).isEqualTo(502);
    assertThat(Http.json(Http.get(server.baseUrl() + "/health")).at("/providers/only/circuits/only~1m").asText())
        .isEqualTo("open");
    // Open for ten minutes, but it is the model's only target: the next request probes it, and it has recovered.
    assertThat(chat("lonely", false, "req-open-probe").statusCode()).isEqualTo(200);
    assertThat(only.requestCount()).isEqualTo(3);
  }

  @Test
  void aFailedConversationPreludeIsRetriedOnAnotherKey() {
    FakeUpstream up = upstream();
    start("""
          - name: free
            type: openai
            base_url: %s
            api_keys: [sk-free-key-0-000000000, sk-free-key-1-000000000]
            options: {conversation_url: "%s/conversations", conversation_id_path: id}
        """.formatted(up.baseUrl(), up.baseUrl()), """
          - {name: free-chat, targets: [{provider: free, model: m}]}
        """, "RETRY_TIMES", "1");
    up.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"expired token\"}}"));
    up.enqueue(FakeResponse.json(200, "{\"id\":\"conv-42\"}"));
    HttpResponse<String> r = chat("free-chat", false, "req-prelude-retry");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> keys = keysSeen(up);
    assertThat(keys).containsExactly("sk-free-key-0-000000000", "sk-free-key-1-000000000", "sk-free-key-1-000000000");
  }

  private static String fixture(String path) {
    try (InputStream in = RetryAndFallbackTest.class.getResourceAsStream("/fixtures/anthropic/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> events(String file) {
    return Arrays.stream(fixture("streams/" + file).split("\n\n")).map(String::strip).filter(e -> !e.isEmpty())
        .toList();
  }

  static String unusedBearer() {
    return bearer(CLIENT);
  }
}
