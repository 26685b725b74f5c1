package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key's allowed models hold on every entry point, refused before anything goes upstream; and its addresses. */
class KeyPolicyTest extends AdminFixture {
  private static final String MESSAGES = "{\"model\":\"%s\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"hi\"}]}";

  private static String keyFor(String policy) {
    HttpResponse<String> r = admin("POST", "/admin/keys", "{\"name\":\"policy\"," + policy + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).path("key").asText();
  }

  private static HttpResponse<String> post(String path, String body, String key) {
    return Http.post(server.baseUrl() + path, body, "Authorization", bearer(key), "anthropic-version", "2023-06-01");
  }

  @Test
  void aModelTheKeyMayNotUseIsRefusedOnEveryEntryPointAndNothingGoesUpstream() {
    String key = keyFor("\"models\":[\"other-*\",\"seed-alias\"]");
    String[][] openAi = {
        {"/v1/chat/completions", "{\"model\":\"seed-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"},
        {"/v1/completions", "{\"model\":\"seed-model\",\"prompt\":\"x\"}"},
        {"/v1/embeddings", "{\"model\":\"seed-model\",\"input\":\"x\"}"},
        {"/api/v1/chat/completions", "{\"model\":\"seed-model\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"x\"}]}"}};
    for (String[] call : openAi) {
      HttpResponse<String> r = post(call[0], call[1], key);
      assertThat(r.statusCode()).as(call[0]).isEqualTo(403);
      JsonNode error = json(r).path("error");
      assertThat(error.path("code").asText()).isEqualTo("model_not_allowed");
      assertThat(error.path("type").asText()).isEqualTo("permission_error");
      assertThat(error.path("message").asText()).contains("'seed-model'");
    }
    for (String path : new String[] {"/v1/messages", "/v1/messages/count_tokens"}) {
      HttpResponse<String> r = post(path, MESSAGES.formatted("seed-model"), key);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(json(r).path("type").asText()).isEqualTo("error");
      assertThat(json(r).at("/error/type").asText()).isEqualTo("permission_error");
    }
    assertThat(upstream.requestCount()).as("nothing sent upstream").isZero();

    assertThat(post("/v1/chat/completions", "{\"model\":\"seed-alias\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"}]}", key).statusCode()).as("an allowed name").isEqualTo(200);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void theModelListShowsOnlyAllowedModels() {
    String key = keyFor("\"models\":[\"seed-a*\"]");
    HttpResponse<String> list = Http.get(server.baseUrl() + "/v1/models", "Authorization", bearer(key));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(json(list).findValuesAsText("id")).containsExactly("seed-alias");
    assertThat(Http.get(server.baseUrl() + "/v1/models/seed-alias", "Authorization", bearer(key)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> hidden = Http.get(server.baseUrl() + "/v1/models/seed-model", "Authorization", bearer(key));
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(json(hidden).at("/error/code").asText()).isEqualTo("model_not_found");
    assertThat(publicModels()).as("an unrestricted key sees all").contains("seed-model", "seed-alias");
  }

  @Test
  void aKeyWorksOnlyFromItsAllowedAddresses() {
    String local = keyFor("\"ip_allow\":[\"127.0.0.1\",\"::1\"]");
    String elsewhere = keyFor("\"ip_allow\":[\"10.0.0.0/8\",\"2001:db8::/32\"]");
    String chat = "{\"model\":\"seed-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    assertThat(post("/v1/chat/completions", chat, local).statusCode()).isEqualTo(200);
    int calls = upstream.requestCount();
    HttpResponse<String> refused = Http.post(server.baseUrl() + "/v1/chat/completions", chat, "Authorization",
        bearer(elsewhere), "X-Request-Id", "req-ip-refused");
    assertThat(refused.statusCode()).isEqualTo(403);
    Map<String, Object> row = new RequestLogRows(server.database()).await("req-ip-refused", Duration.ofSeconds(10));
    assertThat(row).containsEntry("status", 403);
    assertThat(String.valueOf(row.get("error"))).contains("may not be used from");
    assertThat(json(refused).at("/error/code").asText()).isEqualTo("ip_not_allowed");
    assertThat(json(refused).at("/error/message").asText()).startsWith("This API key may not be used from ");
    assertThat(upstream.requestCount()).isEqualTo(calls);
    assertThat(Http.get(server.baseUrl() + "/v1/models", "Authorization", bearer(elsewhere)).statusCode())
        .isEqualTo(403);
  }
}
