package io.tollgate.limits;

import static io.tollgate.limits.LimitsFixture.chat;
import static io.tollgate.limits.LimitsFixture.estimate;
import static io.tollgate.limits.LimitsFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.LimitedKeys;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token and money quotas: refused with insufficient_quota, never overspent by concurrent or cut streams. */
class QuotasTest {
  private static final int USAGE_TOKENS = 10; // what the fake upstream reports for every answer (7 + 3)
  private static TestDatabase db;
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    upstream = FakeUpstream.start();
    Map<String, String> settings = LimitsFixture.settings(upstream, db);
    // Started once to create the schema, then again so the price table holds the price this test sets.
    GatewayServer.startWithoutDatabase(settings).close();
    LimitedKeys.price(db, "gpt-test", new BigDecimal("10000"), new BigDecimal("10000")); // $0.01 a token
    server = GatewayServer.startWithoutDatabase(settings);
    rows = new RequestLogRows(db);
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
    db.close();
  }

  @BeforeEach
  void freshUpstream() {
    upstream.reset();
  }

  private static HttpResponse<String> send(String key, String body, String... headers) {
    return post(server.baseUrl(), "/v1/chat/completions", key, body, headers);
  }

  /** Requests one after another until one is refused; how many got through (at most 30). */
  private static int untilRefused(String key, String body, List<HttpResponse<String>> last) {
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = send(key, body);
      if (r.statusCode() != 200) {
        last.add(r);
        return i;
      }
      pause(50); // the row is written, and the usage settled, just after the answer
    }
    throw new AssertionError("never refused");
  }

  @Test
  void aTokenQuotaIsSpentByRealUsageAndThenRefusedWithInsufficientQuota() {
    LimitedKeys.Key key = LimitedKeys.create(db, "{}", 60L, null, "day");
    String body = chat("gpt-test", 5);
    long estimate = estimate(body, 5);
    List<HttpResponse<String>> refused = new ArrayList<>();
    int admitted = untilRefused(key.secret(), body, refused);
    assertThat(admitted).isEqualTo((int) ((60 - estimate) / USAGE_TOKENS + 1));
    HttpResponse<String> r = refused.get(0);
    assertThat(r.statusCode()).isEqualTo(429);
    JsonNode error = Http.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 86_400L);
    assertThat(upstream.requestCount()).isEqualTo(admitted);
  }

  @Test
  void aMoneyQuotaIsSpentByTheCostOfEachAnswer() {
    LimitedKeys.Key key = LimitedKeys.create(db, "{}", null, new BigDecimal("0.50"), null);
    String body = chat("gpt-test", 5);
    long estimateMicros = estimate(body, 5) * 10_000;
    long costMicros = USAGE_TOKENS * 10_000;
    assertThat(500_000 / estimateMicros).as("the test means something only if settling matters")
        .isLessThan((500_000 - estimateMicros) / costMicros + 1);
    List<HttpResponse<String>> refused = new ArrayList<>();
    int admitted = untilRefused(key.secret(), body, refused);
    assertThat(admitted).isEqualTo((int) ((500_000 - estimateMicros) / costMicros + 1));
    assertThat(Http.json(refused.get(0)).at("/error/code").asText()).isEqualTo("insufficient_quota");
    assertThat(refused.get(0).headers().firstValue("retry-after")).as("a quota that never resets").isEmpty();
  }

  @Test
  void concurrentStreamsHoldTheirReservationsAndSettleToTheRealUsage() throws Exception {
    LimitedKeys.Key key = LimitedKeys.create(db, "{}", 200L, null, null);
    String streamBody = chat("gpt-test", 30, ",\"stream\":true");
    long streamEstimate = estimate(streamBody, 30);
    for (int i = 0; i < 12; i++) {
      upstream.enqueue(slowStream());
    }
    ExecutorService pool = Executors.newFixedThreadPool(12);
    int admitted = 0;
    try {
      List<Future<HttpResponse<String>>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        results.add(pool.submit(() -> send(key.secret(), streamBody)));
      }
      for (Future<HttpResponse<String>> f : results) {
        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isIn(200, 429);
        admitted += r.statusCode() == 200 ? 1 : 0;
      }
    } finally {
      pool.shutdownNow();
    }
    // Twelve estimates of streamEstimate each do not fit in 200 at once, and each stream takes a second.
    assertThat(admitted).as("streams in flight at once hold their estimates")
        .isBetween(1, (int) (200 / streamEstimate) + 2);
    pause(300);
    upstream.reset();
    // Settled: each stream used 10 tokens, so exactly what the quota has left still gets through.
    String body = chat("gpt-test", 5);
    long estimate = estimate(body, 5);
    List<HttpResponse<String>> refused = new ArrayList<>();
    int more = untilRefused(key.secret(), body, refused);
    assertThat(admitted + more).isEqualTo((int) ((200 - estimate) / USAGE_TOKENS + 1));
  }

  @Test
  void aStreamTheClientCutsHoldsItsReservationUntilItEndsThenPaysWhatItUsed() throws Exception {
    LimitedKeys.Key key = LimitedKeys.create(db, "{}", 100L, null, null);
    String streamBody = chat("gpt-test", 40, ",\"stream\":true");
    assertThat(estimate(streamBody, 40)).isGreaterThan(50);
    String other = chat("gpt-test", 40);
    assertThat(estimate(other, 40)).isGreaterThan(45).isLessThan(92);
    // Every chunk says 8 tokens so far; the stream never ends by itself.
    upstream.enqueue(FakeResponse.endless("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}],"
        + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,\"total_tokens\":8}}", Duration.ofMillis(100)));
    URI base = URI.create(server.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      byte[] bytes = streamBody.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key.secret()
          + "\r\nX-Request-Id: req-cut-stream\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
          + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(bytes);
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).contains("200");
      String line;
      while ((line = in.readLine()) != null && !line.startsWith("data:")) {
        // headers, then the first event
      }
      assertThat(line).startsWith("data:");
      HttpResponse<String> whileOpen = send(key.secret(), other);
      assertThat(whileOpen.statusCode()).as("the open stream's reservation still holds").isEqualTo(429);
    }
    assertThat(upstream.awaitClientDisconnect(Duration.ofSeconds(10))).isTrue();
    rows.await("req-cut-stream", Duration.ofSeconds(10));
    pause(100);
    HttpResponse<String> after = send(key.secret(), other);
    assertThat(after.statusCode()).as("settled for the 8 tokens it used: " + after.body()).isEqualTo(200);
  }

  private static FakeResponse slowStream() {
    String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":"
        + "[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}]}";
    String usage = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}";
    return FakeResponse.sse(List.of(chunk, chunk, chunk, usage, "[DONE]"), Duration.ofMillis(250));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
