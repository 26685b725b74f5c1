package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both dialects refuse the same malformed parameters with a 400 that names them, before anything goes upstream,
 * whichever provider type the model sits on.
 */
class DialectValidationTest extends MessagesFixture {
  private static final String TURN = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "messages[0].content[0]         | \"messages\":[{\"role\":\"user\",\"content\":[5,null]}]",
      "messages[0].content[1]         | \"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},\"b\"]}]",
      "messages[0].content[0].type    | \"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}]",
      "messages[0].content[0].text    | \"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}]",
      "messages[0].tool_calls[0]      | \"messages\":[{\"role\":\"assistant\",\"tool_calls\":[7]}]",
      "tools[0]                       | " + TURN + ",\"tools\":[null,5]",
      "tools[1]                       | " + TURN + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}},5]",
      "tools                          | " + TURN + ",\"tools\":{\"type\":\"function\"}",
      "tools[0].type                  | " + TURN + ",\"tools\":[{\"function\":{\"name\":\"f\"}}]",
      "tools[0].function              | " + TURN + ",\"tools\":[{\"type\":\"function\"}]",
      "tools[0].function.name         | " + TURN + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":3}}]",
      "temperature                    | " + TURN + ",\"temperature\":\"x\"",
      "top_p                          | " + TURN + ",\"top_p\":[1]",
      "seed                           | " + TURN + ",\"seed\":\"42\"",
      "top_logprobs                   | " + TURN + ",\"top_logprobs\":1.5"})
  void chatRefusesMalformedParametersByName(String param, String fields) {
    for (String model : new String[] {"gpt-via-messages", "claude-native", "gemini-via-messages", "echo-test"}) {
      HttpResponse<String> r = Http.post(server.baseUrl() + "/v1/chat/completions",
          "{\"model\":\"" + model + "\"," + fields + "}", "Authorization", bearer(KEY));
      assertThat(r.statusCode()).as(model + ": " + r.body()).isEqualTo(400);
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
      assertThat(json(r).at("/error/param").asText()).as(r.body()).isEqualTo(param);
      assertThat(json(r).at("/error/message").asText()).contains(param);
    }
    assertThat(upstream.requestCount()).isZero();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "temperature        | " + TURN + ",\"temperature\":\"x\"",
      "top_p              | " + TURN + ",\"top_p\":\"0.5\"",
      "top_k              | " + TURN + ",\"top_k\":1.5",
      "max_tokens         | " + TURN + ",\"max_tokens\":\"5\"",
      "tools.0            | " + TURN + ",\"tools\":[null,5]",
      "tools.1            | " + TURN + ",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}},5]",
      "tools              | " + TURN + ",\"tools\":{\"name\":\"f\"}",
      "tools.0.name       | " + TURN + ",\"tools\":[{\"input_schema\":{\"type\":\"object\"}}]",
      "tools.0.input_schema | " + TURN + ",\"tools\":[{\"name\":\"f\",\"input_schema\":\"{}\"}]",
      "stop_sequences.0   | " + TURN + ",\"stop_sequences\":[5]",
      "messages.0.content.0 | \"messages\":[{\"role\":\"user\",\"content\":[5,null]}]",
      "messages.0.content.0.text | \"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}]"})
  void messagesRefusesTheSameMalformedParametersByName(String param, String fields) {
    for (String model : new String[] {"gpt-via-messages", "claude-native", "gemini-via-messages", "echo-test"}) {
      String body = "{\"model\":\"" + model + "\"," + (fields.contains("max_tokens") ? "" : "\"max_tokens\":5,")
          + fields + "}";
      for (String path : new String[] {"/v1/messages", "/v1/messages/count_tokens"}) {
        HttpResponse<String> r = post(path, body);
        assertThat(r.statusCode()).as(model + " " + path + ": " + r.body()).isEqualTo(400);
        assertThat(json(r).path("type").asText()).isEqualTo("error");
        assertThat(json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(json(r).at("/error/message").asText()).as(r.body()).startsWith(param + ": ");
      }
    }
    assertThat(upstream.requestCount()).isZero();
  }
}
