package io.tollgate.e2e;

import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Names and base URLs the gateway could store but then not serve, read or delete are refused with a 400 naming the
 * field, and nothing changes; a model name with '/' (OpenRouter-style) works through the whole admin API.
 */
class AdminNamesAndUrlsTest extends AdminFixture {

  @ParameterizedTest(name = "{0} {1} {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      POST | /admin/providers      | name     | {"name":"a\\u0000b","type":"echo"}                     | name must not contain control characters
      POST | /admin/providers      | name     | {"name":"a\\u001bb","type":"echo"}                     | name must not contain control characters
      POST | /admin/providers      | name     | {"name":"team/a","type":"echo"}                        | name must not contain '/'
      POST | /admin/providers      | name     | {"name":"a\\\\b","type":"echo"}                        | name must not contain a backslash
      POST | /admin/providers      | name     | {"name":" padded","type":"echo"}                      | name must not start or end with whitespace
      POST | /admin/providers      | name     | {"name":"..","type":"echo"}                            | name must not be . or ..
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http://"}      | base_url must be an http:// or https:// URL
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http:///v1"}   | base_url must be an http:// or https:// URL with a host
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http://my_host:8080/v1"} | base_url must be an http:// or https:// URL with a host
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"https:api.example.com"} | base_url must be an http:// or https:// URL
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http://a b/v1"} | base_url must be an http:// or https:// URL (not a valid URL
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http://a:99999"} | base_url has a port above 65535
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http://u:pw@a/v1"} | base_url must not hold a user name or password
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http://a/v1?x=1"} | base_url must not have a query
      POST | /admin/providers      | base_url | {"name":"x","type":"openai","base_url":"http://a/v1\\u0000"} | base_url must not contain control characters
      PUT  | /admin/providers/seed | base_url | {"type":"openai","base_url":"localhost:8080"}          | base_url must be an http:// or https:// URL
      POST | /admin/models         | name     | {"name":"m\\u0000","targets":[{"provider":"seed"}]}    | name must not contain control characters
      POST | /admin/models         | name     | {"name":"/m","targets":[{"provider":"seed"}]}          | name may hold '/' only between two non-empty parts
      POST | /admin/models         | name     | {"name":"org//m","targets":[{"provider":"seed"}]}      | name may hold '/' only between two non-empty parts
      POST | /admin/models         | name     | {"name":"org/../m","targets":[{"provider":"seed"}]}    | name must not have a part that is . or ..
      POST | /admin/models         | name     | {"name":"m\\\\x","targets":[{"provider":"seed"}]}      | name must not contain a backslash
      POST | /admin/models         | name     | {"name":"m ","targets":[{"provider":"seed"}]}          | name must not start or end with whitespace
      POST | /admin/models         | aliases[1] | {"name":"m","aliases":["ok","a\\u0007"],"targets":[{"provider":"seed"}]} | aliases[1] must not contain control characters
      POST | /admin/models         | targets[0].model | {"name":"m","targets":[{"provider":"seed","model":"x\\u0000"}]} | targets[0].model must not contain control characters
      PUT  | /admin/models/seed-model | aliases[0] | {"aliases":["a/"],"targets":[{"provider":"seed"}]}  | aliases[0] may hold '/' only between two non-empty parts
      """)
  void unusableNamesAndUrlsAreRefusedNamingTheFieldAndChangeNothing(String method, String path, String param,
      String body, String message) {
    String before = tables();
    HttpResponse<String> r = admin(method, path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).at("/error/message").asText()).startsWith(message);
    assertThat(json(r).at("/error/param").asText()).isEqualTo(param);
    assertThat(json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(tables()).isEqualTo(before);
    assertThat(chat("seed-model").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {"name":"ci\\u0000bot"}  | name must not contain control characters
      {"name":"team/ci"}       | name must not contain '/'
      {"name":"ci bot "}       | name must not start or end with whitespace
      {"name":7}               | name must be a string
      """)
  void unusableKeyNamesAreRefusedAndNoKeyIsMade(String body, String message) {
    String before = admin("GET", "/admin/keys", null).body();
    HttpResponse<String> r = admin("POST", "/admin/keys", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).at("/error/message").asText()).isEqualTo(message);
    assertThat(json(r).at("/error/param").asText()).isEqualTo("name");
    assertThat(admin("GET", "/admin/keys", null).body()).isEqualTo(before);
  }

  @Test
  void aModelNameWithSlashesCanBeCreatedReadUpdatedServedAndDeleted() {
    String name = "meta-llama/Llama-3-8B";
    assertThat(admin("POST", "/admin/models", "{\"name\":\"" + name + "\",\"aliases\":[\"org/alias\"],"
        + "\"targets\":[{\"provider\":\"seed\"}]}").statusCode()).isEqualTo(201);
    JsonNode read = json(admin("GET", "/admin/models/" + name, null));
    assertThat(read.path("name").asText()).isEqualTo(name);
    assertThat(read.at("/targets/0/model").asText()).isEqualTo(name);
    assertThat(chat("org/alias").statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().path("model").asText()).isEqualTo(name);
    assertThat(publicModels()).contains(name, "org/alias");

    HttpResponse<String> updated = admin("PUT", "/admin/models/" + name, "{\"max_tokens\":64,"
        + "\"targets\":[{\"provider\":\"seed\",\"model\":\"llama3\"}]}");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(json(admin("GET", "/admin/models/" + name, null)).path("max_tokens").asInt()).isEqualTo(64);

    HttpResponse<String> deleted = admin("DELETE", "/admin/models/" + name, null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).path("name").asText()).isEqualTo(name);
    assertThat(admin("GET", "/admin/models/" + name, null).statusCode()).isEqualTo(404);
    assertThat(publicModels()).doesNotContain(name, "org/alias");
  }

  @Test
  void aProviderNameWithOtherPunctuationCanBeCreatedReadAndDeleted() {
    String name = "eu-west.main_2";
    assertThat(admin("POST", "/admin/providers", "{\"name\":\"" + name + "\",\"type\":\"openai\",\"base_url\":"
        + "\"https://api.example.com:8443/v1/\"}").statusCode()).isEqualTo(201);
    JsonNode read = json(admin("GET", "/admin/providers/" + name, null));
    assertThat(read.path("base_url").asText()).isEqualTo("https://api.example.com:8443/v1");
    assertThat(admin("DELETE", "/admin/providers/" + name, null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/providers/" + name, null).statusCode()).isEqualTo(404);
  }
}
