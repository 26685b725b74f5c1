package io.tollgate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import io.tollgate.testing.PrometheusText;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One instance: what is cached, what is not, the bypass headers, isolation between keys, and the log rows. */
class ResponseCacheTest extends CacheFixture {

  @Test
  void aDeterministicAnswerIsAskedForOnceAndReplayedAsItWasAtNoCost() {
    HttpResponse<String> first = chatOn(a, "req-cache-plain-1", chat("plain"));
    HttpResponse<String> second = chatOn(a, "req-cache-plain-2", chat("plain"));
    assertThat(upstream.requestCount()).isEqualTo(1);
    assertThat(cacheHeader(first)).isEqualTo("miss");
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(row("req-cache-plain-1")).containsEntry("cache_status", "miss").containsEntry("prompt_tokens", 7);
    Map<String, Object> hit = row("req-cache-plain-2");
    assertThat(hit).containsEntry("cache_status", "hit").containsEntry("prompt_tokens", 0)
        .containsEntry("completion_tokens", 0).containsEntry("provider", null).containsEntry("status", 200);
    assertThat((BigDecimal) hit.get("cost_usd")).isZero();
    PrometheusText metrics = PrometheusText.scrape(a.baseUrl());
    assertThat(metrics.value("tollgate_cache_lookups_total", "outcome", "hit")).isPositive();
    assertThat(metrics.value("tollgate_cache_shared_writes_dropped_total")).isZero();
  }

  @Test
  void aHitCountsAsARequestButSpendsNoTokensOfALimit() throws InterruptedException {
    HttpResponse<String> miss = post(a, "/v1/chat/completions", LIMITED_KEY, "req-cache-tpm-0", chat("limited"));
    assertThat(cacheHeader(miss)).isEqualTo("miss");
    // Each hit's header shows what was left after reserving its own estimate; once the previous hit has settled, a
    // hit that spends nothing leaves the same amount as the one before it. One that spent tokens never would.
    long previous = -1;
    long left = -2;
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (int i = 1; previous != left && System.nanoTime() < deadline; i++) {
      Thread.sleep(100);
      HttpResponse<String> hit = post(a, "/v1/chat/completions", LIMITED_KEY, "req-cache-tpm-" + i, chat("limited"));
      assertThat(cacheHeader(hit)).isEqualTo("hit");
      previous = left;
      left = Long.parseLong(hit.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
    }
    assertThat(left).isEqualTo(previous);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void keyOrderAndWhitespaceDoNotMatterButEveryParameterDoes() {
    chatOn(a, "req-cache-order-1", "{\"model\":\"chat-model\",\"temperature\":0,\"max_tokens\":50,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"order\"}],\"user\":\"alice\"}");
    HttpResponse<String> reordered = chatOn(a, "req-cache-order-2", "{ \"messages\" : [ {\"content\":\"order\","
        + " \"role\":\"user\"} ],\n \"max_tokens\": 50, \"temperature\": 0, \"model\": \"chat-model\","
        + " \"user\": \"bob\" }");
    assertThat(cacheHeader(reordered)).as("the user field does not change the answer").isEqualTo("hit");
    HttpResponse<String> longer = chatOn(a, "req-cache-order-3", "{\"model\":\"chat-model\",\"temperature\":0,"
        + "\"max_tokens\":51,\"messages\":[{\"role\":\"user\",\"content\":\"order\"}]}");
    assertThat(cacheHeader(longer)).isEqualTo("miss");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void samplingRequestsGetFreshAnswersAndAreNotLookedUp() {
    String sampled = "{\"model\":\"chat-model\",\"temperature\":0.7,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"sampled\"}]}";
    chatOn(a, "req-cache-sampled-1", sampled);
    HttpResponse<String> again = chatOn(a, "req-cache-sampled-2", sampled);
    assertThat(upstream.requestCount()).isEqualTo(2);
    assertThat(cacheHeader(again)).isEqualTo("miss");
    assertThat(row("req-cache-sampled-2")).containsEntry("cache_status", null);
  }

  @Test
  void embeddingsAreDeterministicWithoutATemperature() {
    String body = "{\"model\":\"embedder\",\"input\":\"embed me\"}";
    HttpResponse<String> first = post(a, "/v1/embeddings", KEY, "req-cache-emb-1", body);
    HttpResponse<String> second = post(a, "/v1/embeddings", KEY, "req-cache-emb-2", body);
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void noCacheSkipsTheLookupAndNoStoreSkipsTheStoring() {
    chatOn(a, "req-cache-bypass-1", chat("bypass"));
    HttpResponse<String> fresh = chatOn(a, "req-cache-bypass-2", chat("bypass"), "Cache-Control", "no-cache");
    assertThat(cacheHeader(fresh)).isEqualTo("miss");
    assertThat(upstream.requestCount()).isEqualTo(2);

    chatOn(a, "req-cache-nostore-1", chat("not stored"), "Cache-Control", "no-store");
    HttpResponse<String> after = chatOn(a, "req-cache-nostore-2", chat("not stored"));
    assertThat(cacheHeader(after)).as("the first answer was not stored").isEqualTo("miss");
    assertThat(upstream.requestCount()).isEqualTo(4);
  }

  @Test
  void aKeyNeverReceivesAnAnswerCachedForAnother() {
    chatOn(a, "req-cache-iso-1", chat("isolated"));
    HttpResponse<String> other = post(a, "/v1/chat/completions", OTHER_KEY, "req-cache-iso-2", chat("isolated"));
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(cacheHeader(other)).isEqualTo("miss");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void errorsAreNeverCached() {
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    HttpResponse<String> failed = post(a, "/v1/chat/completions", KEY, "req-cache-err-1", chat("error"));
    assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(cacheHeader(failed)).isEqualTo("miss");
    HttpResponse<String> retried = chatOn(a, "req-cache-err-2", chat("error"));
    assertThat(cacheHeader(retried)).isEqualTo("miss");
    assertThat(Http.json(retried).path("choices").isArray()).isTrue();
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void aSessionsRequestsAreNotCached() {
    chatOn(a, "req-cache-session-1", chat("session"), "X-Session-Id", "s-1");
    HttpResponse<String> again = chatOn(a, "req-cache-session-2", chat("session"), "X-Session-Id", "s-1");
    assertThat(cacheHeader(again)).isEqualTo("miss");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }
}
