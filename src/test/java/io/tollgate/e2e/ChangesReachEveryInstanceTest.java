package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on one database, nothing else shared: an admin change made on one (a model, a provider, a
 * key revoked or rotated, a user disabled, a price) is in force on the other within five seconds. The key cache and the poll interval are an hour, so only the change feed's notification can
 * carry a change across in time.
 */
class ChangesReachEveryInstanceTest {
  private static final String ADMIN = "admin-key-for-two-instances";
  private static final Duration WITHIN = Duration.ofSeconds(5);
  private static TestDatabase db;
  private static FakeUpstream first;
  private static FakeUpstream second;
  private static GatewayServer a;
  private static GatewayServer b;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    first = FakeUpstream.start();
    second = FakeUpstream.start();
    Map<String, String> settings = Map.of("TOLLGATE_ADMIN_KEY", ADMIN, "KEY_CACHE_TTL", "3600",
        "CHANGE_POLL_INTERVAL", "3600", "RETRY_TIMES", "0");
    a = GatewayServer.startOn(db, settings);
    b = GatewayServer.startOn(db, settings);
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
    second.close();
    first.close();
    db.close();
  }

  @Test
  void aModelAndAProviderEditMadeOnOneInstanceRouteOnTheOther() {
    String key = createKey("routing");
    admin(a, "POST", "/admin/providers", "{\"name\":\"up\",\"type\":\"openai\",\"base_url\":\"" + first.baseUrl()
        + "\",\"api_keys\":[\"sk-upstream-one\"]}", 201);
    assertThat(chat(b, key, "shared-model")).as("not yet a model").isEqualTo(404);
    admin(a, "POST", "/admin/models", "{\"name\":\"shared-model\",\"targets\":[{\"provider\":\"up\","
        + "\"model\":\"m\"}]}", 201);
    assertWithin(() -> chat(b, key, "shared-model"), 200);
    assertThat(first.requestCount()).isEqualTo(1);

    admin(a, "PUT", "/admin/providers/up", "{\"type\":\"openai\",\"base_url\":\"" + second.baseUrl()
        + "\",\"api_keys\":[\"sk-upstream-two\"]}", 200);
    assertWithin(() -> {
      int status = chat(b, key, "shared-model");
      return status == 200 && second.requestCount() > 0 ? 200 : -1;
    }, 200);
    assertThat(second.takeRequest().header("Authorization")).isEqualTo("Bearer sk-upstream-two");
  }

  @Test
  void aKeyRevokedOnOneInstanceStopsWorkingOnTheOther() {
    String key = createKey("to-revoke");
    assertThat(chat(b, key, "echo")).isEqualTo(200); // now cached on b for an hour
    long id = keyId("to-revoke");
    admin(a, "DELETE", "/admin/keys/" + id, null, 200);
    assertWithin(() -> chat(b, key, "echo"), 401);
  }

  @Test
  void aRotationWithoutGraceOnOneInstanceRetiresTheOldSecretOnTheOther() {
    String old = createKey("to-rotate");
    long id = keyId("to-rotate");
    assertThat(chat(b, old, "echo")).isEqualTo(200);
    String fresh = Http.json(admin(a, "POST", "/admin/keys/" + id + "/rotate", "{\"grace\":0}", 200)).path("key")
        .asText();
    assertWithin(() -> chat(b, old, "echo"), 401);
    assertThat(chat(b, fresh, "echo")).isEqualTo(200);
  }

  @Test
  void aUserDisabledOnOneInstanceLosesItsKeysOnTheOther() {
    long user = Http.json(admin(a, "POST", "/admin/users", "{\"name\":\"someone\"}", 201)).path("id").asLong();
    String key = Http.json(admin(a, "POST", "/admin/keys", "{\"name\":\"owned\",\"user_id\":" + user + "}", 201))
        .path("key").asText();
    assertThat(chat(b, key, "echo")).isEqualTo(200);
    admin(a, "PATCH", "/admin/users/" + user, "{\"disabled\":true}", 200);
    assertWithin(() -> chat(b, key, "echo"), 401);
  }

  @Test
  void aPriceSetOnOneInstanceCostsTheAnswersOfTheOther() {
    String key = createKey("priced");
    assertThat(costHeader(b, key)).as("echo has no price yet").isNull();
    admin(a, "POST", "/admin/prices", "{\"model\":\"echo\",\"input_per_mtok\":1000000,"
        + "\"output_per_mtok\":1000000}", 201);
    assertWithin(() -> costHeader(b, key) != null ? 200 : -1, 200);
    assertThat(new java.math.BigDecimal(costHeader(b, key))).as("a dollar a token").isPositive();
  }

  private static String costHeader(GatewayServer server, String key) {
    HttpResponse<String> r = Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"echo\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "Authorization", bearer(key));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.headers().firstValue("x-tollgate-cost-usd").orElse(null);
  }

  private static long keyId(String name) {
    for (JsonNode k : Http.json(admin(a, "GET", "/admin/keys?limit=500", null, 200)).path("data")) {
      if (k.path("name").asText().equals(name)) {
        return k.path("id").asLong();
      }
    }
    throw new AssertionError("no key named " + name);
  }

  private static void assertWithin(IntSupplier status, int expected) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    int last;
    do {
      last = status.getAsInt();
      if (last == expected) {
        return;
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    assertThat(last).as("status on the other instance after %s", WITHIN).isEqualTo(expected);
  }

  private static String createKey(String name) {
    return Http.json(admin(a, "POST", "/admin/keys", "{\"name\":\"" + name + "\"}", 201)).path("key").asText();
  }

  private static int chat(GatewayServer server, String key, String model) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "Authorization", bearer(key)).statusCode();
  }

  private static HttpResponse<String> admin(GatewayServer server, String method, String path, String body,
      int expected) {
    HttpResponse<String> r = Http.send(Http.builder(server.baseUrl() + path, "Authorization", bearer(ADMIN),
        "Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    return r;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
