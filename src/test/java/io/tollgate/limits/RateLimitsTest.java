package io.tollgate.limits;

import static io.tollgate.limits.LimitsFixture.chat;
import static io.tollgate.limits.LimitsFixture.estimate;
import static io.tollgate.limits.LimitsFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.PrometheusText;
import io.tollgate.testing.LimitedKeys;
import io.tollgate.testing.RequestLogRows;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limits of one gateway at their edges: requests per minute and hour, per model, tokens per minute. */
class RateLimitsTest {
  private static final int USAGE_TOKENS = 10; // what the fake upstream reports for every answer (7 + 3)
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void start() {
    upstream = FakeUpstream.start();
    server = GatewayServer.start(LimitsFixture.settings(upstream, null));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  private static HttpResponse<String> send(String key, String body, String... headers) {
    return post(server.baseUrl(), "/v1/chat/completions", key, body, headers);
  }

  @Test
  void requestsPerMinuteLetTheLimitThroughThenRefuseWithRetryAfterAndTheHeaders() {
    LimitedKeys.Key key = LimitedKeys.create(server.database(), "{\"rpm\":3}");
    LimitedKeys.awaitWindowRoom(60, Duration.ofSeconds(10));
    int before = upstream.requestCount();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> ok = send(key.secret(), chat("gpt-test", 5));
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.headers().firstValue("x-ratelimit-limit-requests")).contains("3");
      assertThat(ok.headers().firstValue("x-ratelimit-remaining-requests")).contains(String.valueOf(2 - i));
      assertThat(ok.headers().firstValue("x-ratelimit-reset-requests").orElse("")).matches("[1-5]?[0-9]s|60s|1m0s");
    }
    HttpResponse<String> refused = send(key.secret(), chat("gpt-test", 5), "X-Request-Id", "req-rpm-refused");
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode error = Http.json(refused).path("error");
    assertThat(error.path("type").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.path("message").asText()).contains("requests per minute").doesNotContain(key.secret());
    long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);
    assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
    assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).contains("3");
    assertThat(upstream.requestCount() - before).as("requests that reached the upstream").isEqualTo(3);
    assertThat(rows.await("req-rpm-refused", Duration.ofSeconds(10))).containsEntry("status", 429);
  }

  @Test
  void streamedAnswersCarryTheHeadersBeforeTheirFirstEvent() {
    LimitedKeys.Key key = LimitedKeys.create(server.database(), "{\"rph\":10,\"tpm\":100000}");
    LimitedKeys.awaitWindowRoom(60, Duration.ofSeconds(10));
    HttpResponse<String> streamed = send(key.secret(), chat("gpt-test", 5, ",\"stream\":true"));
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(streamed.body()).contains("[DONE]");
    assertThat(streamed.headers().firstValue("x-ratelimit-remaining-requests")).contains("9");
    assertThat(streamed.headers().firstValue("x-ratelimit-limit-tokens")).contains("100000");
    HttpResponse<String> embedded = post(server.baseUrl(), "/v1/embeddings", key.secret(),
        "{\"model\":\"gpt-test\",\"input\":\"hello\"}");
    assertThat(embedded.statusCode()).as(embedded.body()).isEqualTo(200);
    assertThat(embedded.headers().firstValue("x-ratelimit-remaining-requests")).contains("8");
  }

  @Test
  void aModelsOwnLimitAppliesOnTopOfTheKeys() {
    LimitedKeys.Key key = LimitedKeys.create(server.database(),
        "{\"rph\":100,\"models\":{\"gpt-mi*\":{\"rph\":2}}}");
    LimitedKeys.awaitWindowRoom(3600, Duration.ofSeconds(30));
    assertThat(send(key.secret(), chat("gpt-mini", 5)).statusCode()).isEqualTo(200);
    HttpResponse<String> second = send(key.secret(), chat("gpt-mini", 5));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).as("the tighter limit shows")
        .contains("0");
    HttpResponse<String> third = send(key.secret(), chat("gpt-mini", 5));
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(Http.json(third).at("/error/message").asText()).contains("gpt-mi*");
    HttpResponse<String> other = send(key.secret(), chat("gpt-test", 5));
    assertThat(other.statusCode()).as("another model still has the key's limit").isEqualTo(200);
    assertThat(other.headers().firstValue("x-ratelimit-remaining-requests")).contains("97");
  }

  @Test
  void tokensPerMinuteReserveTheEstimateAndSettleOnTheRealUsage() {
    LimitedKeys.Key key = LimitedKeys.create(server.database(), "{\"tpm\":100}");
    LimitedKeys.awaitWindowRoom(60, Duration.ofSeconds(10));
    String body = chat("gpt-test", 20);
    long estimate = estimate(body, 20);
    // Each request must fit its estimate in what is left; what it really used (10) is all that stays charged.
    long expected = (100 - estimate) / USAGE_TOKENS + 1;
    assertThat(expected).as("the test means something only if settling matters").isGreaterThan(100 / estimate);
    int admitted = 0;
    HttpResponse<String> last = null;
    for (int i = 0; i < 20; i++) {
      last = send(key.secret(), body);
      if (last.statusCode() != 200) {
        break;
      }
      admitted++;
      assertThat(last.headers().firstValue("x-ratelimit-limit-tokens")).contains("100");
      assertThat(last.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
      waitForSettling();
    }
    assertThat(admitted).isEqualTo((int) expected);
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(Http.json(last).at("/error/message").asText()).contains("tokens per minute");
    assertThat(last.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void messagesGetAnthropicsShapeAndCountTokensCountsAsARequest() {
    LimitedKeys.Key key = LimitedKeys.create(server.database(), "{\"rph\":2}");
    LimitedKeys.awaitWindowRoom(3600, Duration.ofSeconds(30));
    String messages = "{\"model\":\"gpt-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> counted = post(server.baseUrl(), "/v1/messages/count_tokens", key.secret(), messages);
    assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
    assertThat(counted.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
    HttpResponse<String> ok = post(server.baseUrl(), "/v1/messages", key.secret(), messages);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    HttpResponse<String> refused = post(server.baseUrl(), "/v1/messages", key.secret(), messages);
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode json = Http.json(refused);
    assertThat(json.path("type").asText()).isEqualTo("error");
    assertThat(json.at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void aKeyWithoutLimitsGetsNoHeadersAndNoCounters() throws Exception {
    LimitedKeys.Key key = LimitedKeys.create(server.database(), "{}");
    HttpResponse<String> ok = send(key.secret(), chat("gpt-test", 5));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().map().keySet()).noneMatch(h -> h.startsWith("x-ratelimit"));
    try (Connection c = server.database().connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM limit_counters WHERE key_id = " + key.id())) {
      r.next();
      assertThat(r.getLong(1)).isZero();
    }
  }

  @Test
  void parallelRequestsOnOneInstanceNeverPassTheLimit() throws Exception {
    LimitedKeys.Key key = LimitedKeys.create(server.database(), "{\"rph\":20}");
    LimitedKeys.awaitWindowRoom(3600, Duration.ofSeconds(60));
    int before = upstream.requestCount();
    long statementsBefore = statements();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        results.add(pool.submit(() -> send(key.secret(), chat("gpt-test", 5)).statusCode()));
      }
      int ok = 0;
      int refused = 0;
      for (Future<Integer> f : results) {
        int status = f.get(60, TimeUnit.SECONDS);
        ok += status == 200 ? 1 : 0;
        refused += status == 429 ? 1 : 0;
      }
      assertThat(ok).isEqualTo(20);
      assertThat(refused).isEqualTo(40);
      assertThat(upstream.requestCount() - before).isEqualTo(20);
      System.out.printf("limit counters at the edge: %d statements for 60 parallel requests on a limit of 20%n",
          statements() - statementsBefore);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void farFromTheLimitRequestsRarelyTouchTheDatabase() {
    LimitedKeys.Key key = LimitedKeys.create(server.database(), "{\"rph\":100000,\"tpm\":10000000}");
    LimitedKeys.awaitWindowRoom(60, Duration.ofSeconds(15));
    long before = statements();
    int requests = 200;
    for (int i = 0; i < requests; i++) {
      assertThat(send(key.secret(), chat("gpt-test", 5)).statusCode()).isEqualTo(200);
    }
    waitForSettling();
    double perRequest = (statements() - before) / (double) requests;
    System.out.printf("limit counters: %.3f database statements per request over %d requests%n", perRequest,
        requests);
    assertThat(perRequest).isLessThan(0.1);
  }

  private static long statements() {
    return (long) PrometheusText.scrape(server.baseUrl()).value("tollgate_limit_db_statements_total");
  }

  /** The request's row is written (and its usage settled) just after the answer; give it a moment. */
  private static void waitForSettling() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
