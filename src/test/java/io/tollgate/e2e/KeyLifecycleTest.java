package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.auth.KeyHashing;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client keys and users through the admin API, and what each change does to requests made with the key. */
class KeyLifecycleTest extends AdminFixture {

  static JsonNode createKey(String body) {
    HttpResponse<String> r = admin("POST", "/admin/keys", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  static int chatWith(String key) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"seed-model\",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"hi\"}]}", "Authorization", bearer(key)).statusCode();
  }

  /** Polls until the status changes from 200, for at most 10 s; the final status. */
  static int afterItStops(IntSupplier status) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    int s = status.getAsInt();
    while (s == 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      s = status.getAsInt();
    }
    return s;
  }

  @Test
  void aKeyIsShownOnceListedMaskedReadChangedRevokedAndDeleted() {
    JsonNode created = createKey("{\"name\":\"life\",\"models\":[\"seed-*\"],\"rpm\":10,\"model_limits\":{\"gpt-4o*\":"
        + "{\"tpm\":1000}},\"token_quota\":5000,\"budget_usd\":12.5,\"quota_period\":\"month\",\"ip_allow\":"
        + "[\"127.0.0.1\",\"::1/128\"]}");
    String key = created.path("key").asText();
    long id = created.path("id").asLong();
    assertThat(key).startsWith("sk-tg-");
    assertThat(created.path("models").toString()).isEqualTo("[\"seed-*\"]");
    assertThat(created.path("rpm").asInt()).isEqualTo(10);
    assertThat(created.path("model_limits").toString()).isEqualTo("{\"gpt-4o*\":{\"rpm\":null,\"rph\":null,"
        + "\"tpm\":1000}}");
    assertThat(created.path("budget_usd").decimalValue()).isEqualByComparingTo("12.5");
    assertThat(chatWith(key)).isEqualTo(200);

    HttpResponse<String> one = admin("GET", "/admin/keys/" + id, null);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).doesNotContain(key).doesNotContain(KeyHashing.sha256Hex(key)).contains("\"prefix\"");
    assertThat(json(one).has("key")).isFalse();
    HttpResponse<String> list = admin("GET", "/admin/keys", null);
    assertThat(list.body()).doesNotContain(key).doesNotContain(KeyHashing.sha256Hex(key)).doesNotContain(CLIENT);
    assertThat(json(list).path("has_more").isBoolean()).isTrue();

    HttpResponse<String> patched = admin("PATCH", "/admin/keys/" + id,
        "{\"rpm\":null,\"tpm\":70000,\"name\":\"life-2\"}");
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    assertThat(json(patched).path("rpm").isNull()).isTrue();
    assertThat(json(patched).path("tpm").asInt()).isEqualTo(70000);
    assertThat(json(patched).path("name").asText()).isEqualTo("life-2");
    assertThat(json(patched).path("models").toString()).as("untouched fields kept").isEqualTo("[\"seed-*\"]");
    assertThat(json(admin("GET", "/admin/keys/" + id, null))).isEqualTo(json(patched));

    HttpResponse<String> revoked = admin("POST", "/admin/keys/" + id + "/revoke", null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(json(revoked).path("revoked_at").isTextual()).isTrue();
    assertThat(chatWith(key)).isEqualTo(401);
    assertThat(admin("POST", "/admin/keys/" + id + "/revoke", null).statusCode()).isEqualTo(404);
    assertThat(admin("DELETE", "/admin/keys/" + id, null).statusCode()).as("DELETE revokes, as before")
        .isEqualTo(404);
    HttpResponse<String> enabled = admin("POST", "/admin/keys/" + id + "/enable", null);
    assertThat(enabled.statusCode()).isEqualTo(200);
    assertThat(json(enabled).path("revoked_at").isNull()).isTrue();
    assertThat(chatWith(key)).as("back in use with its secret").isEqualTo(200);
    assertThat(admin("POST", "/admin/keys/" + id + "/enable", null).statusCode()).isEqualTo(409);
    assertThat(json(admin("DELETE", "/admin/keys/" + id, null)).path("revoked").asBoolean()).isTrue();
    assertThat(chatWith(key)).isEqualTo(401);
    assertThat(admin("DELETE", "/admin/keys/" + id + "?purge=true", null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/keys/" + id, null).statusCode()).isEqualTo(404);
  }

  @Test
  void listingsArePagedByCursor() {
    for (int i = 0; i < 3; i++) {
      createKey("{\"name\":\"paged-" + i + "\"}");
    }
    JsonNode first = json(admin("GET", "/admin/keys?limit=2", null));
    assertThat(first.path("data").size()).isEqualTo(2);
    assertThat(first.path("has_more").asBoolean()).isTrue();
    String next = first.path("next").asText();
    JsonNode second = json(admin("GET", "/admin/keys?limit=500&after=" + next, null));
    assertThat(second.path("has_more").asBoolean()).isFalse();
    assertThat(second.path("next").isNull()).isTrue();
    assertThat(second.path("data").get(0).path("id").asLong()).isGreaterThan(Long.parseLong(next));
    HttpResponse<String> bad = admin("GET", "/admin/keys?limit=501", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).at("/error/param").asText()).isEqualTo("limit");
    assertThat(admin("GET", "/admin/users?limit=0", null).statusCode()).isEqualTo(400);
    assertThat(json(admin("GET", "/admin/models?limit=1", null)).path("data").size()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {}                                             | name      | name is required
      {"name":"k","rpm":-1}                          | rpm       | rpm must be a non-negative integer or null
      {"name":"k","rph":"ten"}                       | rph       | rph must be a non-negative integer or null
      {"name":"k","models":"gpt-4o"}                 | models    | models must be a list of strings
      {"name":"k","ip_allow":["10.0.0.0/33"]}        | ip_allow[0] | ip_allow[0] '10.0.0.0/33' has a prefix length that is not 0 to 32
      {"name":"k","ip_allow":["example.com"]}        | ip_allow[0] | ip_allow[0] 'example.com' is not an IPv4 or IPv6 address or CIDR range
      {"name":"k","expires_at":"tomorrow"}           | expires_at | expires_at must be an ISO-8601 date-time with an offset, such as 2026-12-31T23:59:59Z
      {"name":"k","quota_period":"year"}             | quota_period | quota_period must be day, week, month or null
      {"name":"k","budget_usd":-2}                   | budget_usd | budget_usd must be a non-negative number of US dollars (at most 6 decimals) or null
      {"name":"k","user_id":999999}                  | user_id   | user_id 999999 is not a known user; create it first with POST /admin/users.
      {"name":"k","colour":"red"}                    | colour    | `Unknown field 'colour'; a key takes budget_usd, cache_mode, expires_at, ip_allow, model_limits, models, name, quota_period, rph, rpm, token_quota, tpm, user_id.`
      {"name":"k","model_limits":{"ab":{"rpd":1}}}   | model_limits.ab.rpd | model_limits.ab.rpd is not a known field; use rpm, rph or tpm
      """)
  void badKeyFieldsAreRefusedByNameAndChangeNothing(String body, String param, String message) {
    String before = admin("GET", "/admin/keys?limit=500", null).body();
    HttpResponse<String> r = admin("POST", "/admin/keys", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).at("/error/message").asText()).isEqualTo(message);
    assertThat(json(r).at("/error/param").asText()).isEqualTo(param);
    assertThat(admin("GET", "/admin/keys?limit=500", null).body()).isEqualTo(before);
  }

  @Test
  void aBadPatchChangesNothing() {
    long id = createKey("{\"name\":\"patched-badly\",\"rpm\":3}").path("id").asLong();
    String before = admin("GET", "/admin/keys/" + id, null).body();
    HttpResponse<String> r = admin("PATCH", "/admin/keys/" + id, "{\"rpm\":4,\"tpm\":-5}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/param").asText()).isEqualTo("tpm");
    assertThat(admin("GET", "/admin/keys/" + id, null).body()).isEqualTo(before);
    assertThat(admin("PATCH", "/admin/keys/99999999", "{\"rpm\":1}").statusCode()).isEqualTo(404);
  }

  @Test
  void aRotatedKeysOldSecretWorksThroughItsGraceOnly() throws InterruptedException {
    JsonNode created = createKey("{\"name\":\"rotating\"}");
    String old = created.path("key").asText();
    long id = created.path("id").asLong();
    assertThat(chatWith(old)).isEqualTo(200);
    HttpResponse<String> rotated = admin("POST", "/admin/keys/" + id + "/rotate", "{\"grace\":2}");
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    String fresh = json(rotated).path("key").asText();
    assertThat(fresh).startsWith("sk-tg-").isNotEqualTo(old);
    assertThat(json(rotated).path("id").asLong()).isEqualTo(id);
    assertThat(json(rotated).path("previous_until").isTextual()).isTrue();
    assertThat(chatWith(fresh)).isEqualTo(200);
    assertThat(chatWith(old)).as("within the grace").isEqualTo(200);
    assertThat(admin("GET", "/admin/keys/" + id, null).body()).doesNotContain(fresh);
    assertThat(afterItStops(() -> chatWith(old))).as("after the grace").isEqualTo(401);
    assertThat(chatWith(fresh)).isEqualTo(200);

    HttpResponse<String> again = admin("POST", "/admin/keys/" + id + "/rotate", "{\"grace\":\"PT0S\"}");
    String third = json(again).path("key").asText();
    assertThat(chatWith(fresh)).as("grace 0: the old secret stops at once").isEqualTo(401);
    assertThat(chatWith(third)).isEqualTo(200);
    assertThat(admin("POST", "/admin/keys/" + id + "/rotate", "{\"grace\":-1}").statusCode()).isEqualTo(400);
    assertThat(chatWith(third)).as("a refused rotation changes nothing").isEqualTo(200);
  }

  @Test
  void anExpiredKeyGetsA401SayingSoEvenWhileCached() throws InterruptedException {
    String soon = Instant.now().plusSeconds(2).toString();
    JsonNode created = createKey("{\"name\":\"expiring\",\"expires_at\":\"" + soon + "\"}");
    String key = created.path("key").asText();
    assertThat(chatWith(key)).isEqualTo(200);
    assertThat(afterItStops(() -> chatWith(key))).isEqualTo(401);
    HttpResponse<String> r = Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"seed-model\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "Authorization", bearer(key));
    assertThat(json(r).at("/error/message").asText()).startsWith("This API key expired at ");
    assertThat(json(r).at("/error/code").asText()).isEqualTo("expired_api_key");

    long id = created.path("id").asLong();
    assertThat(admin("PATCH", "/admin/keys/" + id, "{\"expires_at\":null}").statusCode()).isEqualTo(200);
    assertThat(chatWith(key)).as("expiry cleared").isEqualTo(200);
  }

  @Test
  void disablingAUserStopsAllTheirKeysAtOnce() {
    HttpResponse<String> user = admin("POST", "/admin/users", "{\"name\":\"team-x\",\"email\":\"x@example.com\"}");
    assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
    long userId = json(user).path("id").asLong();
    String k1 = createKey("{\"name\":\"x1\",\"user_id\":" + userId + "}").path("key").asText();
    String k2 = createKey("{\"name\":\"x2\",\"user_id\":" + userId + "}").path("key").asText();
    assertThat(chatWith(k1)).isEqualTo(200);
    assertThat(chatWith(k2)).isEqualTo(200);

    HttpResponse<String> disabled = admin("PATCH", "/admin/users/" + userId, "{\"disabled\":true}");
    assertThat(disabled.statusCode()).isEqualTo(200);
    assertThat(json(disabled).path("disabled_at").isTextual()).isTrue();
    assertThat(chatWith(k1)).isEqualTo(401);
    assertThat(chatWith(k2)).isEqualTo(401);
    assertThat(admin("PATCH", "/admin/users/" + userId, "{\"disabled\":false}").statusCode()).isEqualTo(200);
    assertThat(chatWith(k1)).isEqualTo(200);

    HttpResponse<String> refused = admin("DELETE", "/admin/users/" + userId, null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused).at("/error/message").asText()).contains("cascade=true");
    assertThat(admin("DELETE", "/admin/users/" + userId + "?cascade=true", null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/users/" + userId, null).statusCode()).isEqualTo(404);
    assertThat(chatWith(k1)).as("its keys went with it").isEqualTo(401);
  }

  @Test
  void userNamesAreUniqueAndEmailsChecked() {
    assertThat(admin("POST", "/admin/users", "{\"name\":\"unique-one\"}").statusCode()).isEqualTo(201);
    String before = admin("GET", "/admin/users?limit=500", null).body();
    HttpResponse<String> dup = admin("POST", "/admin/users", "{\"name\":\"unique-one\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(json(dup).at("/error/param").asText()).isEqualTo("name");
    HttpResponse<String> email = admin("POST", "/admin/users", "{\"name\":\"u2\",\"email\":\"not-an-email\"}");
    assertThat(email.statusCode()).isEqualTo(400);
    assertThat(json(email).at("/error/param").asText()).isEqualTo("email");
    assertThat(admin("POST", "/admin/users", "{\"email\":\"a@b.co\"}").statusCode()).isEqualTo(400);
    assertThat(admin("GET", "/admin/users?limit=500", null).body()).isEqualTo(before);
  }
}
