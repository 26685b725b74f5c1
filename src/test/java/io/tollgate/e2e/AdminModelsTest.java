package io.tollgate.e2e;

import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
        + "{\"provider\":\"seed\",\"model\":\"round-trip\"},{\"provider\":\"echo\",\"model\":\"e\"}],"
        + "\"aliases\":[],\"max_tokens\":null,\"supports_streaming\":true,\"supports_tools\":true}");
    assertThat(json(admin("GET", "/admin/models/round-trip", null))).isEqualTo(view);
    assertThat(json(admin("GET", "/admin/models", null)).findValuesAsText("name"))
        .contains("seed-model", "round-trip");

    HttpResponse<String> updated = admin("PUT", "/admin/models/round-trip",
        "{\"name\":\"round-trip\",\"targets\":[{\"provider\":\"echo\",\"model\":\"echo\"}]}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).path("targets").toString()).isEqualTo("[{\"provider\":\"echo\",\"model\":\"echo\"}]");
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
      POST | /admin/models            | 400 | {"name":"m","targets":[{"provider":"seed","weight":2}]} | targets[0] has unknown key 'weight'
      POST | /admin/models            | 409 | {"name":"seed-model","targets":[{"provider":"seed"}]} | A model named 'seed-model' already exists
      PUT  | /admin/models/seed-model | 400 | {"targets":[{"provider":"seed"},{"provider":"gone"}]} | targets[1].provider 'gone' is not a known provider
      PUT  | /admin/models/seed-model | 400 | {"name":"renamed","targets":[{"provider":"seed"}]}    | renaming is not supported
      PUT  | /admin/models/nope       | 404 | {"targets":[{"provider":"seed"}]}                     | No model named 'nope'
      DELETE | /admin/models/nope     | 404 |                                                       | No model named 'nope'
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
