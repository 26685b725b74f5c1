package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminModelsTest extends AdminFixture {

  @Test
  void createReadUpdateDeleteRoundTrip() {
    HttpResponse<String> created = admin("POST", "/admin/models",
        "{\"name\":\"round-trip\",\"targets\":[{\"provider\":\"seed\"},{\"provider\":\"echo\",\"model\":\"e\"}]}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode view = json(created);
    assertThat(view.toString()).isEqualTo("{\"object\":\"model\",\"name\":\"round-trip\",\"targets\":["
        + "{\"provider\":\"seed\",\"model\":\"round-trip\",\"priority\":0,\"weight\":1},"
        + "{\"provider\":\"echo\",\"model\":\"e\",\"priority\":1,\"weight\":1}],"
        + "\"aliases\":[],\"max_tokens\":null,\"supports_streaming\":true,\"supports_tools\":true}");
    assertThat(json(admin("GET", "/admin/models/round-trip", null))).isEqualTo(view);
    assertThat(json(admin("GET", "/admin/models", null)).findValuesAsText("name"))
        .contains("seed-model", "round-trip");

    HttpResponse<String> updated = admin("PUT", "/admin/models/round-trip",
        "{\"name\":\"round-trip\",\"targets\":[{\"provider\":\"echo\",\"model\":\"echo\"}]}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).path("targets").toString())
        .isEqualTo("[{\"provider\":\"echo\",\"model\":\"echo\",\"priority\":0,\"weight\":1}]");
    assertThat(json(admin("GET", "/admin/models/round-trip", null))).isEqualTo(json(updated));

    assertThat(json(admin("DELETE", "/admin/models/round-trip", null)).path("deleted").asBoolean()).isTrue();
    assertThat(admin("GET", "/admin/models/round-trip", null).statusCode()).isEqualTo(404);
    assertThat(admin("DELETE", "/admin/models/round-trip", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aNewModelIsServedAndListedAtOnceAndGoneAfterDelete() {
    assertThat(chat("org/fresh-model").statusCode()).isEqualTo(404);
    assertThat(admin("POST", "/admin/models", "{\"name\":\"org/fresh-model\",\"targets\":[{\"provider\":\"seed\","
        + "\"model\":\"fresh-upstream\"}]}").statusCode()).isEqualTo(201);
    assertThat(publicModels()).contains("org/fresh-model");
    assertThat(json(admin("GET", "/admin/models/org/fresh-model", null)).path("name").asText())
        .isEqualTo("org/fresh-model");

    HttpResponse<String> r = chat("org/fresh-model");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().path("model").asText()).isEqualTo("fresh-upstream");

    assertThat(admin("PUT", "/admin/models/org/fresh-model", "{\"targets\":[{\"provider\":\"echo\"}]}")
        .statusCode()).isEqualTo(200);
    int upstreamCalls = upstream.requestCount();
    assertThat(json(chat("org/fresh-model")).at("/choices/0/message/content").asText()).isEqualTo("Say hello");
    assertThat(upstream.requestCount()).as("now served by echo").isEqualTo(upstreamCalls);

    assertThat(admin("DELETE", "/admin/models/org/fresh-model", null).statusCode()).isEqualTo(200);
    assertThat(chat("org/fresh-model").statusCode()).isEqualTo(404);
    assertThat(publicModels()).doesNotContain("org/fresh-model");
  }

  @Test
  void patternsAliasesAndCapabilitiesSetThroughTheApiTakeEffectAtOnce() {
    HttpResponse<String> created = admin("POST", "/admin/models", "{\"name\":\"adm-capped\",\"targets\":[{\"provider\":"
        + "\"seed\",\"model\":\"capped-up\"}],\"aliases\":[\"ac\"],\"max_tokens\":10,\"supports_tools\":false}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json(created).path("aliases").toString()).isEqualTo("[\"ac\"]");
    assertThat(json(created).path("max_tokens").asInt()).isEqualTo(10);
    assertThat(json(created).path("supports_tools").asBoolean()).isFalse();
    assertThat(json(created).path("supports_streaming").asBoolean()).isTrue();
    assertThat(publicModels()).contains("adm-capped", "ac");

    HttpResponse<String> viaAlias = Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"ac\","
        + "\"max_tokens\":99,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "Authorization", bearer(CLIENT));
    assertThat(viaAlias.statusCode()).isEqualTo(200);
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.path("model").asText()).isEqualTo("capped-up");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(10);
    assertThat(Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"adm-capped\",\"tools\":[{\"type\":"
        + "\"function\",\"function\":{\"name\":\"f\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "Authorization", bearer(CLIENT)).statusCode()).isEqualTo(400);

    assertThat(admin("PUT", "/admin/models/adm-capped", "{\"targets\":[{\"provider\":\"seed\"}]}").statusCode())
        .isEqualTo(200);
    assertThat(chat("ac").statusCode()).as("the alias went with the update").isEqualTo(404);
    admin("DELETE", "/admin/models/adm-capped", null);

    HttpResponse<String> pattern = admin("POST", "/admin/models", "{\"name\":\"adm-*\",\"targets\":[{\"provider\":"
        + "\"seed\"}]}");
    assertThat(pattern.statusCode()).isEqualTo(201);
    assertThat(json(pattern).at("/targets/0/model").asText()).isEqualTo("*");
    assertThat(json(admin("GET", "/admin/models/adm-*", null)).path("name").asText()).isEqualTo("adm-*");
    upstream.reset();
    assertThat(chat("adm-anything").statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().path("model").asText()).isEqualTo("adm-anything");
    assertThat(admin("DELETE", "/admin/models/adm-*", null).statusCode()).isEqualTo(200);
    assertThat(chat("adm-anything").statusCode()).isEqualTo(404);
  }

  @Test
  void aProviderIsDeletableOnceNoModelUsesIt() {
    admin("POST", "/admin/providers", "{\"name\":\"short-lived\",\"type\":\"echo\"}");
    admin("POST", "/admin/models", "{\"name\":\"sl-1\",\"targets\":[{\"provider\":\"short-lived\"}]}");
    admin("POST", "/admin/models", "{\"name\":\"sl-2\",\"targets\":[{\"provider\":\"short-lived\"}]}");
    HttpResponse<String> refused = admin("DELETE", "/admin/providers/short-lived", null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused).at("/error/message").asText()).contains("models sl-1, sl-2");
    admin("DELETE", "/admin/models/sl-1", null);
    admin("DELETE", "/admin/models/sl-2", null);
    assertThat(admin("DELETE", "/admin/providers/short-lived", null).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      POST | /admin/models            | 400 | {"name":"m","targets":[{"provider":"nowhere"}]}       | targets[0].provider 'nowhere' is not a known provider
      POST | /admin/models            | 400 | {"name":"m"}                                          | targets must be a list of at least one
      POST | /admin/models            | 400 | {"name":"m","targets":[]}                             | targets must be a list of at least one
      POST | /admin/models            | 400 | {"targets":[{"provider":"seed"}]}                     | name is required
      POST | /admin/models            | 400 | {"name":"m","targets":[{"provider":"seed","wieght":2}]} | targets[0] has unknown key 'wieght'
      POST | /admin/models            | 409 | {"name":"seed-model","targets":[{"provider":"seed"}]} | A model named 'seed-model' already exists
      PUT  | /admin/models/seed-model | 400 | {"targets":[{"provider":"seed"},{"provider":"gone"}]} | targets[1].provider 'gone' is not a known provider
      PUT  | /admin/models/seed-model | 400 | {"name":"renamed","targets":[{"provider":"seed"}]}    | renaming is not supported
      PUT  | /admin/models/nope       | 404 | {"targets":[{"provider":"seed"}]}                     | No model named 'nope'
      DELETE | /admin/models/nope     | 404 |                                                       | No model named 'nope'
      POST | /admin/models            | 400 | {"name":"m","targets":[{"provider":"seed"}],"max_tokens":0}     | max_tokens must be a whole number of at least 1
      POST | /admin/models            | 400 | {"name":"m","targets":[{"provider":"seed"}],"max_tokens":"x"}   | max_tokens must be a whole number of at least 1
      POST | /admin/models            | 400 | {"name":"m","targets":[{"provider":"seed"}],"maxTokens":5}      | unknown key 'maxTokens'; expected aliases, max_tokens, name
      POST | /admin/models            | 400 | {"name":"m","targets":[{"provider":"seed"}],"supports_tools":"no"} | supports_tools must be true or false
      POST | /admin/models            | 400 | {"name":"m-*","targets":[{"provider":"seed"}],"aliases":["m"]}  | aliases are for exact names
      POST | /admin/models            | 409 | {"name":"m","targets":[{"provider":"seed"}],"aliases":["seed-model"]} | aliases[0] 'seed-model' is already the name of model 'seed-model'
      POST | /admin/models            | 409 | {"name":"m","targets":[{"provider":"seed"}],"aliases":["x","seed-alias"]} | aliases[1] 'seed-alias' is already an alias of model 'seed-model'
      POST | /admin/models            | 409 | {"name":"seed-alias","targets":[{"provider":"seed"}]}           | name 'seed-alias' is already an alias of model 'seed-model'
      PUT  | /admin/models/seed-model | 400 | {"targets":[{"provider":"seed"}],"aliases":["seed-model"]}      | aliases[0] 'seed-model' is the entry's own name
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
  void clientKeysCannotManageModels() {
    String before = tables();
    for (String[] call : new String[][] {{"GET", "/admin/models", null}, {"GET", "/admin/models/seed-model", null},
        {"POST", "/admin/models", "{\"name\":\"x\",\"targets\":[{\"provider\":\"seed\"}]}"},
        {"PUT", "/admin/models/seed-model", "{\"targets\":[{\"provider\":\"echo\"}]}"},
        {"DELETE", "/admin/models/seed-model", null}}) {
      assertThat(call(call[0], call[1], call[2], CLIENT).statusCode()).as(call[0] + " " + call[1]).isEqualTo(403);
    }
    assertThat(tables()).isEqualTo(before);
  }
}
