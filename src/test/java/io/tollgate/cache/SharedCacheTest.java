package io.tollgate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Streams replayed in their dialect, the shared tier across two instances, and concurrent identical requests. */
class SharedCacheTest extends CacheFixture {

  @Test
  void aCachedStreamIsReplayedWithTheSameEventsAndUsage() {
    String body = "{\"model\":\"chat-model\",\"temperature\":0,\"stream\":true,\"stream_options\":"
        + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"streamed\"}]}";
    HttpResponse<String> first = post(a, "/v1/chat/completions", KEY, "req-cache-sse-1", body);
    HttpResponse<String> second = post(a, "/v1/chat/completions", KEY, "req-cache-sse-2", body);
    assertThat(cacheHeader(first)).isEqualTo("miss");
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(second.headers().firstValue("x-accel-buffering")).as("a replay, unbuffered by nginx").contains("no");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.body()).contains("\"usage\":{\"prompt_tokens\":7").endsWith("data: [DONE]\n\n");
    assertThat(upstream.requestCount()).isEqualTo(1);
    assertThat(row("req-cache-sse-2")).containsEntry("cache_status", "hit").containsEntry("stream", true);

    String withoutUsage = body.replace("\"stream_options\":{\"include_usage\":true},", "");
    HttpResponse<String> plainStream = post(a, "/v1/chat/completions", KEY, "req-cache-sse-3", withoutUsage);
    assertThat(cacheHeader(plainStream)).as("include_usage changes what was sent").isEqualTo("miss");
    assertThat(plainStream.body()).doesNotContain("\"prompt_tokens\"");
  }

  @Test
  void anAnthropicStreamIsReplayedWithItsEventNames() {
    String expected = FixtureFiles.text("anthropic/streams", "text.sse").strip();
    upstream.enqueue(FakeResponse.rawEvents(Arrays.stream(expected.split("\n\n")).map(String::strip)
        .filter(e -> !e.isEmpty()).toList(), Duration.ZERO));
    String body = "{\"model\":\"claude-native\",\"max_tokens\":100,\"temperature\":0,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"native\"}]}";
    HttpResponse<String> first = post(a, "/v1/messages", KEY, "req-cache-ant-1", body);
    HttpResponse<String> second = post(a, "/v1/messages", KEY, "req-cache-ant-2", body);
    assertThat(first.body().strip()).isEqualTo(expected);
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.headers().firstValue("x-accel-buffering")).contains("no");
    assertThat(second.body().strip()).isEqualTo(expected);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void aTranslatedMessagesAnswerIsCachedInAnthropicsShape() {
    String body = "{\"model\":\"chat-model\",\"max_tokens\":100,\"temperature\":0,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"translated\"}]}";
    HttpResponse<String> first = post(a, "/v1/messages", KEY, "req-cache-msg-1", body);
    HttpResponse<String> second = post(a, "/v1/messages", KEY, "req-cache-msg-2", body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(Http.json(first).path("type").asText()).isEqualTo("message");
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void whenTheFirstOfConcurrentRequestsFailsTheOthersAskForThemselves() throws Exception {
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")
        .withHeadersDelay(Duration.ofMillis(1500)));
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "req-cache-failed-flight-" + i;
      all.add(CompletableFuture.supplyAsync(() -> post(a, "/v1/chat/completions", KEY, id, chat("first fails"))));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      statuses.add(f.get(30, TimeUnit.SECONDS).statusCode());
    }
    assertThat(statuses).as("an upstream 500 reaches the client as 502").containsOnlyOnce(502).contains(200);
    assertThat(upstream.requestCount()).as("the failure was not replayed to the waiters").isGreaterThan(1);
  }

  @Test
  void anAnswerStoredByOneInstanceIsAHitOnTheOther() throws InterruptedException {
    HttpResponse<String> first = chatOn(a, "req-cache-two-1", chat("shared between instances"));
    assertThat(cacheHeader(first)).isEqualTo("miss");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String seen = null;
    int tries = 0;
    while (!"hit".equals(seen) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      // no-store: b must not keep its own answers, so a hit on b can only come from a's row
      HttpResponse<String> other = chatOn(b, "req-cache-two-b" + tries++, chat("shared between instances"),
          "Cache-Control", "no-store");
      seen = cacheHeader(other);
      if ("hit".equals(seen)) {
        assertThat(other.body()).isEqualTo(first.body());
      }
    }
    assertThat(seen).as("b learns of a's answer through the shared tier").isEqualTo("hit");
    assertThat(row("req-cache-two-b" + (tries - 1))).containsEntry("cache_status", "hit");
  }

  @Test
  void concurrentIdenticalRequestsAreAskedForOnce() throws Exception {
    String answer = "{\"id\":\"chatcmpl-slow\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"slow\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
    upstream.enqueue(FakeResponse.json(200, answer).withHeadersDelay(Duration.ofMillis(1500)));
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "req-cache-flight-" + i;
      all.add(CompletableFuture.supplyAsync(() -> chatOn(a, id, chat("at once"))));
    }
    List<String> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
      assertThat(Http.json(r).path("choices").path(0).path("message").path("content").asText()).isEqualTo("slow");
      statuses.add(cacheHeader(r));
    }
    assertThat(upstream.requestCount()).isEqualTo(1);
    assertThat(statuses).containsOnly("hit", "miss").containsOnlyOnce("miss");
  }
}
