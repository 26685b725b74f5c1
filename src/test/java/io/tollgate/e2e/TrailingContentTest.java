package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A body is one JSON value and nothing after it: a second object or stray brackets mean the client built it wrong
 * (or two bodies ran together), and guessing which part it meant would forward what it did not ask for.
 */
class TrailingContentTest extends AdminFixture {
  private static final String CHAT = "{\"model\":\"seed-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
  private static final String COMPLETION = "{\"model\":\"seed-model\",\"prompt\":\"x\"}";
  private static final String EMBEDDING = "{\"model\":\"seed-model\",\"input\":\"x\"}";
  private static final String MESSAGES = "{\"model\":\"seed-model\",\"max_tokens\":5,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"/v1/chat/completions, '}}garbage'", "/v1/chat/completions, ' {\"a\":1}'",
      "/v1/completions, '}'", "/v1/completions, ' [1]'", "/v1/embeddings, 'x'", "/v1/embeddings, ' \"more\"'"})
  void openAiRoutesRefuseContentAfterTheBody(String path, String trailer) {
    String body = switch (path) {
      case "/v1/chat/completions" -> CHAT;
      case "/v1/completions" -> COMPLETION;
      default -> EMBEDDING;
    };
    assertThat(post(path, body).statusCode()).as("the body alone is fine").isEqualTo(200);
    upstream.reset();

    HttpResponse<String> r = post(path, body + trailer);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/code").asText()).isEqualTo("invalid_json");
    assertThat(upstream.requestCount()).isZero();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"/v1/messages, '}}garbage'", "/v1/messages, ' {\"a\":1}'",
      "/v1/messages/count_tokens, ']'", "/v1/messages/count_tokens, ' {\"a\":1}'"})
  void messagesRoutesRefuseContentAfterTheBodyInAnthropicsShape(String path, String trailer) {
    assertThat(post(path, MESSAGES).statusCode()).as("the body alone is fine").isEqualTo(200);
    upstream.reset();

    HttpResponse<String> r = post(path, MESSAGES + trailer);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = json(r);
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.at("/error/message").asText()).contains("JSON");
    assertThat(upstream.requestCount()).isZero();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"/admin/keys, '{\"name\":\"twice\"} {\"name\":\"again\"}'",
      "/admin/providers, '{\"name\":\"extra\",\"type\":\"echo\"}}'",
      "/admin/models, '{\"name\":\"m2\",\"targets\":[{\"provider\":\"seed\",\"model\":\"x\"}]} x'"})
  void adminBodiesRefuseContentAfterTheValue(String path, String body) {
    String before = tables() + admin("GET", "/admin/keys", null).body();
    HttpResponse<String> r = admin("POST", path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).at("/error/code").asText()).isEqualTo("invalid_json");
    assertThat(tables() + admin("GET", "/admin/keys", null).body()).isEqualTo(before);
  }

  private static HttpResponse<String> post(String path, String body) {
    return Http.post(server.baseUrl() + path, body, "Authorization", bearer(CLIENT));
  }
}
