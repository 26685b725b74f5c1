package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inputs from the fuzz targets' corpora (RELIABILITY.md "Fuzzing"), posted to the real webapp on every route and
 * provider type: each gets a 4xx in its dialect's JSON shape and nothing goes upstream.
 */
class FuzzFindingsTest extends MessagesFixture {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "/v1/chat/completions, openai/RequestFuzzTestInputs/chat/deep-array",
      "/v1/chat/completions, openai/RequestFuzzTestInputs/chat/deep-object",
      "/v1/chat/completions, openai/RequestFuzzTestInputs/chat/deep-tools",
      "/v1/chat/completions, inbound/gemini/GeminiBodyFuzzTestInputs/body/deep-tools",
      "/v1/chat/completions, openai/RequestFuzzTestInputs/chat/trailing",
      "/v1/chat/completions, openai/RequestFuzzTestInputs/chat/numbers",
      "/v1/chat/completions, openai/RequestFuzzTestInputs/chat/gemini-odd",
      "/v1/completions, openai/RequestFuzzTestInputs/completions/prompt-array",
      "/v1/embeddings, openai/RequestFuzzTestInputs/embeddings/empty-input"})
  void openAiRoutesAnswerA400InOpenAisShape(String path, String seed) {
    for (String model : new String[] {"gpt-via-messages", "claude-native", "gemini-via-messages", "echo-test"}) {
      HttpResponse<String> r = Http.post(server.baseUrl() + path, withModel(seed, model), "Authorization",
          bearer(KEY));
      assertThat(r.statusCode()).as(model + ": " + r.body()).isEqualTo(400);
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    }
    assertThat(upstream.requestCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "openai/RequestFuzzTestInputs/chat/deep-array",
      "openai/RequestFuzzTestInputs/chat/deep-object",
      "inbound/anthropic/MessagesFuzzTestInputs/request/deep-tools"})
  void messagesAnswersA4xxInAnthropicsShape(String seed) {
    for (String model : new String[] {"gpt-via-messages", "claude-native", "gemini-via-messages", "echo-test"}) {
      HttpResponse<String> r = post("/v1/messages", withModel(seed, model));
      assertThat(r.statusCode()).as(model + ": " + r.body()).isBetween(400, 499);
      assertThat(json(r).path("type").asText()).isEqualTo("error");
      assertThat(json(r).at("/error/message").asText()).isNotBlank();
    }
    assertThat(upstream.requestCount()).isZero();
  }

  /** The seed with its model swapped for one of the gateway's, where it names one. */
  private static String withModel(String seed, String model) {
    try (InputStream in = FuzzFindingsTest.class.getResourceAsStream("/io/tollgate/" + seed)) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return body.replaceFirst("\"model\":\"[^\"]*\"", "\"model\":\"" + model + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
