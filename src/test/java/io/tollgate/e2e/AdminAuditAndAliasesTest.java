package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every admin change leaves an audit row; prices through the admin API; the /api/v1/admin alias; who gets in. */
class AdminAuditAndAliasesTest extends AdminFixture {
  private static final List<String> COLLECTIONS = List.of("keys", "users", "prices", "audit", "providers", "models",
      "stats", "logs", "api-keys");

  private static JsonNode auditFor(String entity, String id) {
    HttpResponse<String> r = admin("GET", "/admin/audit?entity=" + entity + "&entity_id=" + id, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("data");
  }

  @Test
  void changesAreAuditedWithMaskedViewsAndNeverTheAdminKey() {
    assertThat(admin("POST", "/admin/providers", "{\"name\":\"audited\",\"type\":\"openai\",\"base_url\":\""
        + upstream.baseUrl() + "\",\"api_key\":\"" + NEW_KEY + "\"}").statusCode()).isEqualTo(201);
    assertThat(admin("PUT", "/admin/providers/audited", "{\"type\":\"openai\",\"base_url\":\"" + upstream.baseUrl()
        + "/v2\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> key = admin("POST", "/admin/keys", "{\"name\":\"audited-key\"}");
    String plaintext = json(key).path("key").asText();
    String keyId = json(key).path("id").asText();
    admin("POST", "/admin/keys/" + keyId + "/rotate", "{\"grace\":0}");
    admin("POST", "/admin/keys/" + keyId + "/revoke", null);

    HttpResponse<String> all = Http.get(server.baseUrl() + "/admin/audit?limit=500", "Authorization", bearer(ADMIN),
        "X-Request-Id", "req-audit-read");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).doesNotContain(ADMIN).doesNotContain(NEW_KEY).doesNotContain(plaintext);

    JsonNode provider = auditFor("provider", "audited");
    assertThat(provider.findValuesAsText("action")).containsExactly("update", "create");
    JsonNode update = provider.get(0);
    assertThat(update.path("actor").asText()).matches("admin-key:[0-9a-f]{8}");
    assertThat(update.path("old_value").path("base_url").asText()).isEqualTo(upstream.baseUrl());
    assertThat(update.path("new_value").path("base_url").asText()).isEqualTo(upstream.baseUrl() + "/v2");
    assertThat(update.path("new_value").path("api_keys").toString()).isEqualTo("[\"sk-…3456\"]");
    assertThat(update.path("client_ip").asText()).isNotEmpty();
    assertThat(update.path("request_id").asText()).isNotEmpty();
    assertThat(update.path("ts").asText()).isNotEmpty();
    assertThat(provider.get(1).path("old_value").isNull()).isTrue();

    JsonNode keyRows = auditFor("key", keyId);
    assertThat(keyRows.findValuesAsText("action")).containsExactly("revoke", "rotate", "create");
    assertThat(keyRows.get(0).path("old_value").path("revoked_at").isNull()).isTrue();
    assertThat(keyRows.get(0).path("new_value").path("revoked_at").isTextual()).isTrue();

    JsonNode page = json(admin("GET", "/admin/audit?limit=1&action=create", null));
    assertThat(page.path("data").size()).isEqualTo(1);
    assertThat(page.path("has_more").asBoolean()).isTrue();
    JsonNode next = json(admin("GET", "/admin/audit?limit=1&action=create&after=" + page.path("next").asText(),
        null));
    assertThat(next.at("/data/0/id").asLong()).isLessThan(page.at("/data/0/id").asLong());
    assertThat(admin("GET", "/admin/audit?from=2999-01-01T00:00:00Z", null).body()).contains("\"data\":[]");
    assertThat(admin("GET", "/admin/audit?from=yesterday", null).statusCode()).isEqualTo(400);
  }

  @Test
  void puttingAProviderKeyBackIntoUseIsAudited() {
    assertThat(admin("POST", "/admin/providers/seed/keys/1/enable", null).statusCode()).isEqualTo(200);
    JsonNode row = auditFor("provider.key", "seed/1").get(0);
    assertThat(row.path("action").asText()).isEqualTo("enable");
    assertThat(row.path("new_value").toString()).contains("sk-…0002").doesNotContain(SEED_KEY_2);
  }

  @Test
  void aRefusedChangeLeavesNoAuditRow() {
    String before = admin("GET", "/admin/audit?limit=500", null).body();
    assertThat(admin("POST", "/admin/keys", "{\"name\":\"k\",\"rpm\":-1}").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/models", "{\"name\":\"seed-model\",\"targets\":[{\"provider\":\"seed\"}]}")
        .statusCode()).isEqualTo(409);
    assertThat(admin("GET", "/admin/audit?limit=500", null).body()).isEqualTo(before);
  }

  @Test
  void pricesHaveTheSameShapeAndRefuseBadNumbers() {
    HttpResponse<String> created = admin("POST", "/admin/prices", "{\"model\":\"gpt-test*\",\"input_per_mtok\":2.5,"
        + "\"cached_input_per_mtok\":1.25,\"output_per_mtok\":10}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).path("source").asText()).isEqualTo("admin");
    assertThat(json(created).path("input_per_mtok").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(json(admin("GET", "/admin/prices/gpt-test*", null)).path("output_per_mtok").decimalValue())
        .isEqualByComparingTo("10");
    assertThat(admin("POST", "/admin/prices", "{\"model\":\"gpt-test*\",\"input_per_mtok\":1,\"output_per_mtok\":1}")
        .statusCode()).isEqualTo(409);

    String before = admin("GET", "/admin/prices", null).body();
    HttpResponse<String> negative = admin("PUT", "/admin/prices/gpt-test*", "{\"input_per_mtok\":-1,"
        + "\"output_per_mtok\":1}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(json(negative).at("/error/param").asText()).isEqualTo("input_per_mtok");
    assertThat(admin("PUT", "/admin/prices/gpt-test*", "{\"input_per_mtok\":\"cheap\",\"output_per_mtok\":1}")
        .statusCode()).isEqualTo(400);
    assertThat(admin("GET", "/admin/prices", null).body()).isEqualTo(before);

    HttpResponse<String> updated = admin("PUT", "/admin/prices/gpt-test*", "{\"input_per_mtok\":3,"
        + "\"output_per_mtok\":12}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).path("cached_input_per_mtok").isNull()).isTrue();
    assertThat(admin("DELETE", "/admin/prices/gpt-test*", null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/prices/gpt-test*", null).statusCode()).isEqualTo(404);
    assertThat(auditFor("price", "gpt-test*").findValuesAsText("action")).containsExactly("delete", "update",
        "create");
  }

  @Test
  void theApiV1AdminAliasServesTheSameResourcesAndBodies() {
    HttpResponse<String> user = admin("POST", "/api/v1/admin/users", "{\"name\":\"alias-user\"}");
    assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
    HttpResponse<String> created = admin("POST", "/api/v1/admin/api-keys", "{\"name\":\"alias-key\",\"user_id\":"
        + json(user).path("id").asLong() + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created).path("id").asText();
    JsonNode viaAlias = json(admin("GET", "/api/v1/admin/api-keys/" + id, null));
    assertThat(viaAlias).isEqualTo(json(admin("GET", "/admin/keys/" + id, null)));
    assertThat(json(admin("GET", "/api/v1/admin/keys/" + id, null))).isEqualTo(viaAlias);
    assertThat(admin("GET", "/api/v1/admin/api-keys?limit=500", null).body()).contains("alias-key");
    assertThat(admin("GET", "/api/v1/admin/providers/seed", null).body())
        .isEqualTo(admin("GET", "/admin/providers/seed", null).body());
    assertThat(admin("GET", "/api/v1/admin/models?limit=1", null).statusCode()).isEqualTo(200);
    assertThat(admin("POST", "/api/v1/admin/prices", "{\"model\":\"alias/price*\",\"input_per_mtok\":1,"
        + "\"output_per_mtok\":1}").statusCode()).isEqualTo(201);
    assertThat(json(admin("GET", "/api/v1/admin/prices/alias/price*?limit=1", null)).path("model").asText())
        .isEqualTo("alias/price*");
    assertThat(admin("DELETE", "/api/v1/admin/prices/alias/price*", null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/api/v1/admin/audit?entity=key&entity_id=" + id, null).body()).contains("alias-key");
    assertThat(admin("DELETE", "/api/v1/admin/api-keys/" + id, null).statusCode()).isEqualTo(200);
    assertThat(admin("DELETE", "/api/v1/admin/api-keys/" + id, null).statusCode()).isEqualTo(404);
    assertThat(admin("GET", "/api/v1/admin/nothing-here", null).statusCode()).isEqualTo(404);
  }

  @Test
  void clientKeysAndNoKeyAreRefusedOnEveryAdminRoute() {
    for (String prefix : List.of("/admin/", "/api/v1/admin/")) {
      for (String collection : COLLECTIONS) {
        for (String method : List.of("GET", "POST")) {
          String path = prefix + collection;
          HttpResponse<String> client = send(method, path, CLIENT);
          assertThat(client.statusCode()).as(method + " " + path + " with a client key").isEqualTo(403);
          OpenApiSchemas.load().assertValid("ErrorResponse", client.body());
          HttpResponse<String> none = send(method, path, null);
          assertThat(none.statusCode()).as(method + " " + path + " without a key").isEqualTo(401);
          OpenApiSchemas.load().assertValid("ErrorResponse", none.body());
          assertThat(send(method, path, "sk-wrong-admin").statusCode()).isEqualTo(401);
        }
      }
    }
  }

  private static HttpResponse<String> send(String method, String path, String key) {
    HttpRequest.Builder b = key == null ? Http.builder(server.baseUrl() + path, "Content-Type", "application/json")
        : Http.builder(server.baseUrl() + path, "Authorization", bearer(key), "Content-Type", "application/json");
    return Http.send(b.method(method, HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build());
  }
}
