package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminProvidersTest extends AdminFixture {

  @Test
  void createReadUpdateDeleteRoundTrip() {
    String body = "{\"name\":\"crud\",\"type\":\"OpenAI\",\"base_url\":\"" + upstream.baseUrl() + "/\","
        + "\"api_keys\":[\"" + NEW_KEY + "\"],\"options\":{\"org\":\"acme\"},\"strip_sk_prefix\":false}";
    HttpResponse<String> created = admin("POST", "/admin/providers", body);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode view = json(created);
    assertThat(view.path("object").asText()).isEqualTo("provider");
    assertThat(view.path("type").asText()).isEqualTo("openai");
    assertThat(view.path("base_url").asText()).isEqualTo(upstream.baseUrl());
    assertThat(view.path("api_keys").toString()).isEqualTo("[\"sk-…3456\"]");
    assertThat(view.path("options").toString()).isEqualTo("{\"org\":\"acme\"}");
    assertThat(json(admin("GET", "/admin/providers/crud", null))).isEqualTo(view);
    assertThat(json(admin("GET", "/admin/providers", null)).findValuesAsText("name")).contains("seed", "crud");

    HttpResponse<String> updated = admin("PUT", "/admin/providers/crud", "{\"type\":\"azure\",\"base_url\":\""
        + "https://res.openai.azure.com\",\"api_version\":\"2024-10-21\"}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).path("type").asText()).isEqualTo("azure");
    assertThat(json(updated).path("api_keys").toString()).as("keys kept when left out").isEqualTo("[\"sk-…3456\"]");
    assertThat(json(updated).path("options").toString()).isEqualTo("{\"api_version\":\"2024-10-21\"}");
    assertThat(json(admin("GET", "/admin/providers/crud", null))).isEqualTo(json(updated));

    HttpResponse<String> deleted = admin("DELETE", "/admin/providers/crud", null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).path("deleted").asBoolean()).isTrue();
    assertThat(admin("GET", "/admin/providers/crud", null).statusCode()).isEqualTo(404);
    assertThat(admin("DELETE", "/admin/providers/crud", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aNewProviderServesChatAtOnceWithItsKey() {
    assertThat(admin("POST", "/admin/providers", "{\"name\":\"live\",\"type\":\"openai\",\"base_url\":\""
        + upstream.baseUrl() + "\",\"api_key\":\"" + NEW_KEY + "\"}").statusCode()).isEqualTo(201);
    assertThat(admin("POST", "/admin/models", "{\"name\":\"live-model\",\"targets\":[{\"provider\":\"live\","
        + "\"model\":\"live-upstream\"}]}").statusCode()).isEqualTo(201);

    HttpResponse<String> r = chat("live-model");
    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.header("authorization")).isEqualTo(bearer(NEW_KEY));
    assertThat(sent.json().path("model").asText()).isEqualTo("live-upstream");

    // A changed base URL is used by the very next request.
    assertThat(admin("PUT", "/admin/providers/live", "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\"}")
        .statusCode()).isEqualTo(200);
    int upstreamCalls = upstream.requestCount();
    assertThat(chat("live-model").statusCode()).isEqualTo(502);
    assertThat(upstream.requestCount()).isEqualTo(upstreamCalls);
  }

  @Test
  void maskedKeysSentBackStandForTheStoredKeys() {
    JsonNode seed = json(admin("GET", "/admin/providers/seed", null));
    assertThat(seed.path("api_keys").toString()).isEqualTo("[\"sk-…0001\",\"sk-…0002\"]");
    ObjectNode edited = seed.deepCopy();
    edited.put("strip_sk_prefix", false);
    edited.remove("object");
    assertThat(admin("PUT", "/admin/providers/seed", edited.toString()).statusCode()).isEqualTo(200);
    for (int i = 0; i < 2; i++) {
      assertThat(chat("seed-model").statusCode()).isEqualTo(200);
      assertThat(upstream.takeRequest().header("authorization")).isIn(bearer(SEED_KEY_1), bearer(SEED_KEY_2));
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      POST | /admin/providers     | 400 | {"name":"x","type":"bedrock","base_url":"http://a"}  | type must be one of openai, echo, azure, anthropic, gemini
      POST | /admin/providers     | 400 | {"type":"openai","base_url":"http://a"}              | name is required
      POST | /admin/providers     | 400 | {"name":"x","type":"openai"}                         | base_url is required for type openai
      POST | /admin/providers     | 400 | {"name":"x","type":"openai","base_url":"ftp://a"}    | base_url must be an http:// or https:// URL
      POST | /admin/providers     | 400 | {"name":"x","type":"echo","baseurl":"http://a"}      | unknown key 'baseurl'
      POST | /admin/providers     | 400 | {"name":"x","type":"echo","options":{"a":[1]}}       | options.a must be a single value
      POST | /admin/providers     | 400 | {"name":"x","type":"echo","api_keys":["sk-…0001"]}  | api_keys[0] is a masked key
      POST | /admin/providers     | 400 | `[1,2]`                                              | must be a JSON object
      POST | /admin/providers     | 400 | {"name":                                             | not valid JSON
      POST | /admin/providers     | 409 | {"name":"seed","type":"echo"}                        | A provider named 'seed' already exists
      PUT  | /admin/providers/nope | 404 | {"type":"echo"}                                     | No provider named 'nope'
      PUT  | /admin/providers/seed | 400 | {"name":"other","type":"echo"}                      | renaming is not supported
      PUT  | /admin/providers/seed | 400 | {"type":"gpt"}                                      | type must be one of
      PUT  | /admin/providers/seed | 400 | {"type":"openai","base_url":"http://a","api_keys":["sk-…9999"]} | api_keys[0] is a masked key that stands for no stored key
      DELETE | /admin/providers/seed | 409 |                                                    | still used by model seed-model
      DELETE | /admin/providers/nope | 404 |                                                    | No provider named 'nope'
      """)
  void badInputIsRefusedClearlyAndChangesNothing(String method, String path, int status, String body,
      String message) {
    String before = tables();
    HttpResponse<String> r = admin(method, path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).at("/error/message").asText()).contains(message);
    assertThat(tables()).isEqualTo(before);
    assertThat(chat("seed-model").statusCode()).isEqualTo(200);
  }

  @Test
  void clientKeysCannotManageProviders() {
    String before = tables();
    for (String[] call : new String[][] {{"GET", "/admin/providers", null}, {"GET", "/admin/providers/seed", null},
        {"POST", "/admin/providers", "{\"name\":\"x\",\"type\":\"echo\"}"},
        {"PUT", "/admin/providers/seed", "{\"type\":\"echo\"}"}, {"DELETE", "/admin/providers/seed", null}}) {
      HttpResponse<String> r = call(call[0], call[1], call[2], CLIENT);
      assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(403);
    }
    assertThat(Http.get(server.baseUrl() + "/admin/providers").statusCode()).isEqualTo(401);
    assertThat(tables()).isEqualTo(before);
  }
}
