package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.DatabaseProxy;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stored responses while PostgreSQL refuses this gateway: reading one, continuing one and storing one all answer a
 * 503 in OpenAI's shape within the bound (a stream, whose 200 went out, ends with an error event), nothing goes
 * upstream for a continuation whose history cannot be read, {@code store: false} is still served, and all work
 * again once the database is back. The key comes from API_KEYS, so its check needs no database.
 */
class StoredResponsesOutageTest {
  /** Far above the 2 s the gateway waits for its database, far below a hang. */
  private static final long MAX_MILLIS = 4000;
  private static final String KEY = "sk-static-outage";
  private static final OpenApiSchemas SCHEMAS = OpenApiSchemas.load();

  private FakeUpstream upstream;
  private TestDatabase db;
  private DatabaseProxy proxy;
  private GatewayServer server;

  @BeforeEach
  void start() throws Exception {
    upstream = FakeUpstream.start();
    db = TestDatabase.create();
    proxy = DatabaseProxy.start();
    server = GatewayServer.startOn(db, Map.of("TOLLGATE_CONFIG", StoredResponsesTest.config(upstream, "").toString(),
        "RETRY_TIMES", "0",
        "TOLLGATE_DB_URL", proxy.jdbcUrl(db.jdbcUrl()), "API_KEYS", KEY));
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

  @Test
  void aRefusedDatabaseGets503sInOpenAisShapeAndStoringWorksAgainAfter() throws Exception {
    HttpResponse<String> first = create("{\"model\":\"gpt-test\",\"input\":\"Before\"}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    String id = Http.json(first).path("id").asText();

    proxy.refuse();
    int before = upstream.requestCount();
    assertUnavailable(timed("GET", () -> read(id)), "cannot be read");
    assertUnavailable(timed("a continuation", () -> create("{\"model\":\"gpt-test\",\"input\":\"Next\","
        + "\"previous_response_id\":\"" + id + "\"}")), "cannot be read");
    assertThat(upstream.requestCount()).as("no continuation went upstream").isEqualTo(before);
    assertUnavailable(timed("a stored response", () -> create("{\"model\":\"gpt-test\",\"input\":\"Keep\"}")),
        "could not be stored");
    HttpResponse<String> unstored = timed("store: false", () -> create("{\"model\":\"gpt-test\","
        + "\"input\":\"Do not keep\",\"store\":false}"));
    assertThat(unstored.statusCode()).as(unstored.body()).isEqualTo(200);
    HttpResponse<String> stream = timed("a stream", () -> create("{\"model\":\"gpt-test\",\"input\":\"Stream\","
        + "\"stream\":true}"));
    assertThat(stream.statusCode()).as("the stream's 200 went out first").isEqualTo(200);
    String lastEvent = stream.body().strip().substring(stream.body().strip().lastIndexOf("event: "));
    assertThat(lastEvent).as("the stream ends with an error event").startsWith("event: error")
        .contains("\"code\":\"service_unavailable\"").contains("could not be stored");
    SCHEMAS.assertValid("ResponseErrorEvent", lastEvent.substring(lastEvent.indexOf("data: ") + 6).strip());

    proxy.forward();
    HttpResponse<String> again = SessionAndCacheOutageTest.eventually(() -> read(id));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    HttpResponse<String> kept = SessionAndCacheOutageTest.eventually(() -> create("{\"model\":\"gpt-test\",\"input\":\"After\"}"));
    assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
    assertThat(read(Http.json(kept).path("id").asText()).statusCode()).isEqualTo(200);
  }

  private static void assertUnavailable(HttpResponse<String> r, String says) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    SCHEMAS.assertValid("ErrorResponse", r.body());
    assertThat(Http.json(r).at("/error/code").asText()).isEqualTo("service_unavailable");
    assertThat(Http.json(r).at("/error/message").asText()).contains(says);
  }

  private HttpResponse<String> create(String body) {
    return Http.post(server.baseUrl() + "/v1/responses", body, "Authorization", Http.bearer(KEY));
  }

  private HttpResponse<String> read(String id) {
    return Http.get(server.baseUrl() + "/v1/responses/" + id, "Authorization", Http.bearer(KEY));
  }

  private static HttpResponse<String> timed(String what, Supplier<HttpResponse<String>> call) {
    long t0 = System.nanoTime();
    HttpResponse<String> r = call.get();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(millis).as(what + " answered within, ms").isLessThan(MAX_MILLIS);
    return r;
  }
}
