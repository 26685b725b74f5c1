package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.DatabaseOutageTest.Cut;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.DatabaseProxy;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.LimitedKeys;
import io.tollgate.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sessions and the shared response-cache tier while PostgreSQL is cut (refused or hung) for this gateway alone. The
 * cache steps aside (a shared entry that cannot be read is a miss, answered from the upstream; a store that cannot
 * be written is dropped, with one WARN per outage); a session turn gets a 503 in its dialect, never an answer whose
 * turn the session then lost; and once the database is back, both work again without a restart.
 */
class SessionAndCacheOutageTest {
  /** Far below any hang, above the 2 s the gateway waits for its database. */
  private static final long MAX_MILLIS = 4000;

  private FakeUpstream upstream;
  private TestDatabase db;
  private DatabaseProxy proxy;
  private GatewayServer server;
  private String key;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    db = TestDatabase.create();
    proxy = DatabaseProxy.start();
    // CACHE_MAX_BYTES=1: memory keeps no answer, so every hit is a read of the shared tier.
    server = GatewayServer.startOn(db, Map.of("TOLLGATE_CONFIG", config(upstream), "RETRY_TIMES", "0",
        "TOLLGATE_DB_URL", proxy.jdbcUrl(db.jdbcUrl()), "CACHE_MAX_BYTES", "1", "KEY_CACHE_TTL", "60"));
    key = LimitedKeys.create(db, "{}").secret();
  }

  @AfterEach
  void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      proxy.close();
      db.close();
      upstream.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void sessionsAnswer503InTheirDialectTheCacheStepsAsideAndBothWorkAgainAfter(Cut cut) throws Exception {
    String shared = "shared-" + cut;
    assertThat(cacheHeader(cached(shared))).isEqualTo("miss");
    awaitSharedRows(1);
    assertThat(cacheHeader(cached(shared))).as("read from the shared tier").isEqualTo("hit");
    String chatSession = "chat-" + cut;
    String messagesSession = "messages-" + cut;
    assertThat(chatTurn(chatSession, "first").statusCode()).isEqualTo(200);
    assertThat(messagesTurn(messagesSession, "first", false).statusCode()).isEqualTo(200);

    try (CapturedLogs logs = CapturedLogs.attach("io.tollgate")) {
      cut.apply.accept(proxy);
      int before = upstream.requestCount();
      HttpResponse<String> sharedDuring = timed("the shared entry", () -> cached(shared));
      assertThat(sharedDuring.statusCode()).as(sharedDuring.body()).isEqualTo(200);
      assertThat(cacheHeader(sharedDuring)).isEqualTo("miss");
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> fresh = timed("a new cacheable request", () -> cached("fresh-" + cut + Math.random()));
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
      }
      assertThat(upstream.requestCount() - before).as("cache misses answered by the upstream").isEqualTo(6);

      HttpResponse<String> chat = timed("a chat session turn", () -> chatTurn(chatSession, "second"));
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(503);
      assertThat(Http.json(chat).at("/error/code").asText()).isEqualTo("service_unavailable");
      assertThat(Http.json(chat).at("/error/message").asText()).contains("session " + chatSession);
      HttpResponse<String> messages = timed("a messages session turn", () -> messagesTurn(messagesSession, "second",
          false));
      assertThat(messages.statusCode()).as(messages.body()).isEqualTo(503);
      assertThat(Http.json(messages).path("type").asText()).isEqualTo("error");
      assertThat(Http.json(messages).at("/error/message").asText()).contains("session " + messagesSession);
      HttpResponse<String> read = timed("GET /v1/sessions", () -> session(chatSession));
      assertThat(read.statusCode()).as(read.body()).isEqualTo(503);
      assertThat(upstream.requestCount() - before).as("no session turn went upstream").isEqualTo(6);

      assertThat(warnings(logs, "io.tollgate.cache")).as("cache warnings during the outage").hasSize(1);
      assertThat(warnings(logs, "io.tollgate.session")).as("session warnings during the outage").hasSize(1);

      proxy.forward();
      HttpResponse<String> again = eventually(() -> chatTurn(chatSession, "second"));
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      assertThat(eventually(() -> messagesTurn(messagesSession, "second", false)).statusCode()).isEqualTo(200);
      assertThat(contents(chatSession)).containsExactly("first", "answer", "second", "answer");
      assertThat(contents(messagesSession)).containsExactly("first", "answer", "second", "answer");

      String after = "after-" + cut;
      assertThat(cacheHeader(cached(after))).isEqualTo("miss");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      String header;
      do {
        Thread.sleep(100);
        header = cacheHeader(cached(after));
      } while (!"hit".equals(header) && System.nanoTime() < deadline);
      assertThat(header).as("the shared tier stores and reads again").isEqualTo("hit");
    }
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void aTurnWhoseStoreFailsEndsWithAnErrorNotASilentLoss(Cut cut) throws Exception {
    String chatSession = "store-chat-" + cut;
    String chatStreamSession = "store-chat-stream-" + cut;
    String streamSession = "store-stream-" + cut;
    assertThat(chatTurn(chatSession, "first").statusCode()).isEqualTo(200);
    assertThat(chatTurn(chatStreamSession, "first", true).statusCode()).isEqualTo(200);
    assertThat(messagesTurn(streamSession, "first", true).statusCode()).isEqualTo(200);
    upstream.reset();
    upstream.answerAll(r -> r.withHeadersDelay(Duration.ofMillis(1500)));
    CompletableFuture<HttpResponse<String>> chat = CompletableFuture.supplyAsync(() -> chatTurn(chatSession,
        "second"));
    CompletableFuture<HttpResponse<String>> chatStream = CompletableFuture.supplyAsync(() -> chatTurn(
        chatStreamSession, "second", true));
    CompletableFuture<HttpResponse<String>> stream = CompletableFuture.supplyAsync(() -> messagesTurn(streamSession,
        "second", true));
    upstream.takeRequest();
    upstream.takeRequest();
    upstream.takeRequest(); // all three read their session and went upstream: the database goes now
    long t0 = System.nanoTime();
    cut.apply.accept(proxy);

    HttpResponse<String> whole = chat.get(30, TimeUnit.SECONDS);
    HttpResponse<String> chatStreamed = chatStream.get(30, TimeUnit.SECONDS);
    HttpResponse<String> streamed = stream.get(30, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("%s: a store that fails, answered in %d ms: %d %s | %s%n", cut, millis, whole.statusCode(),
        whole.body(), streamed.body().replace('\n', ' '));
    assertThat(millis).as("both answered within, ms").isLessThan(1500 + MAX_MILLIS);
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(503);
    assertThat(Http.json(whole).at("/error/code").asText()).isEqualTo("service_unavailable");
    assertThat(Http.json(whole).at("/error/message").asText()).contains("could not be kept in session");
    assertThat(streamed.statusCode()).as("the stream's 200 went out first").isEqualTo(200);
    assertThat(chatStreamed.statusCode()).isEqualTo(200);
    assertThat(chatStreamed.body()).as("no [DONE]: the stream did not end as a success").doesNotContain("[DONE]");
    String lastData = chatStreamed.body().strip().substring(chatStreamed.body().strip().lastIndexOf("data: "));
    assertThat(lastData).as("the stream ends with an error").contains("\"code\":\"service_unavailable\"")
        .contains("could not be kept in session");
    String lastEvent = streamed.body().strip().substring(streamed.body().strip().lastIndexOf("event: "));
    assertThat(lastEvent).as("the stream ends with an error event").startsWith("event: error")
        .contains("\"type\":\"error\"").contains("could not be kept in session");

    proxy.forward();
    upstream.answerAll(UnaryOperator.identity());
    assertThat(eventually(() -> session(chatSession)).statusCode()).isEqualTo(200);
    assertThat(contents(chatSession)).as("the session as before the failed turn").containsExactly("first", "answer");
    assertThat(contents(chatStreamSession)).as("the session as before the failed turn").containsExactly("first",
        "answer");
    assertThat(contents(streamSession)).as("the session as before the failed turn").containsExactly("first",
        "answer");
    assertThat(chatTurn(chatSession, "second").statusCode()).isEqualTo(200);
    assertThat(contents(chatSession)).containsExactly("first", "answer", "second", "answer");
  }

  private HttpResponse<String> cached(String content) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"gpt-test\",\"temperature\":0,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}", "Authorization", Http.bearer(key));
  }

  private HttpResponse<String> chatTurn(String session, String content) {
    return chatTurn(session, content, false);
  }

  private HttpResponse<String> chatTurn(String session, String content, boolean stream) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"gpt-test\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}", "Authorization",
        Http.bearer(key), "X-Session-Id", session);
  }

  private HttpResponse<String> messagesTurn(String session, String content, boolean stream) {
    return Http.post(server.baseUrl() + "/v1/messages", "{\"model\":\"gpt-test\",\"max_tokens\":50,\"stream\":"
        + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}", "x-api-key", key,
        "anthropic-version", "2023-06-01", "X-Session-Id", session);
  }

  private HttpResponse<String> session(String id) {
    return Http.get(server.baseUrl() + "/v1/sessions/" + id, "Authorization", Http.bearer(key));
  }

  /** Each stored message as its text, the assistant's as "answer". */
  private List<String> contents(String id) {
    HttpResponse<String> r = session(id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode m : Http.json(r).path("messages")) {
      JsonNode content = m.path("content");
      String text = content.isTextual() ? content.asText() : content.path(0).path("text").asText();
      out.add("assistant".equals(m.path("role").asText()) ? "answer" : text);
    }
    return out;
  }

  private static HttpResponse<String> timed(String what, Supplier<HttpResponse<String>> call) {
    long t0 = System.nanoTime();
    HttpResponse<String> r = call.get();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("  %s during the outage: %d in %d ms%n", what, r.statusCode(), millis);
    assertThat(millis).as(what + " answered within, ms").isLessThan(MAX_MILLIS);
    return r;
  }

  /** The first answer that is not a 503, within 15 s of the database's return (a failure is remembered 1 s). */
  static HttpResponse<String> eventually(Supplier<HttpResponse<String>> call) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    HttpResponse<String> r = call.get();
    while (r.statusCode() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = call.get();
    }
    return r;
  }

  private static List<CapturedLogs.Line> warnings(CapturedLogs logs, String loggerPrefix) {
    return logs.lines().stream().filter(l -> l.level().equals("WARN") && l.logger().startsWith(loggerPrefix))
        .toList();
  }

  private static String cacheHeader(HttpResponse<?> r) {
    return r.headers().firstValue("x-tollgate-cache").orElse(null);
  }

  private void awaitSharedRows(long rows) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long n;
    do {
      try (var c = db.connect(); var rs = c.createStatement().executeQuery("select count(*) from response_cache")) {
        rs.next();
        n = rs.getLong(1);
      }
      if (n < rows) {
        Thread.sleep(50);
      }
    } while (n < rows && System.nanoTime() < deadline);
    assertThat(n).as("rows in the shared tier").isGreaterThanOrEqualTo(rows);
  }

  private static String config(FakeUpstream upstream) {
    return BootstrapFiles.oneModel(upstream.baseUrl());
  }
}
