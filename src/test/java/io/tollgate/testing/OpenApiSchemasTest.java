package io.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class OpenApiSchemasTest {

  private static final String CHAT = """
      {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-test",
       "choices":[{"index":0,"message":{"role":"assistant","content":"Hi","refusal":null},
                   "logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}""";

  private final OpenApiSchemas schemas = OpenApiSchemas.load();
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void validChatCompletionPasses() {
    schemas.assertValid("CreateChatCompletionResponse", CHAT);
  }

  @Test
  void chatCompletionWithoutChoicesFails() throws Exception {
    JsonNode node = mapper.readTree(CHAT);
    ((ObjectNode) node).remove("choices");

    assertThat(schemas.errors("CreateChatCompletionResponse", node)).anyMatch(e -> e.contains("choices"));
    assertThatThrownBy(() -> schemas.assertValid("CreateChatCompletionResponse", node.toString()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("choices");
  }

  @Test
  void referencedSchemasAreChecked() throws Exception {
    String broken = CHAT.replace(",\"refusal\":null", "").replace("\"prompt_tokens\":7", "\"prompt_tokens\":\"7\"");
    JsonNode node = mapper.readTree(broken);

    assertThat(schemas.errors("CreateChatCompletionResponse", node))
        .anyMatch(e -> e.contains("refusal"))
        .anyMatch(e -> e.contains("prompt_tokens"));
  }

  @Test
  void streamChunkWithNullFinishReasonPasses() {
    schemas.assertValid("CreateChatCompletionStreamResponse", """
        {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-test",
         "choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],
         "usage":null}""");
  }

  @Test
  void streamChunkWithUnknownFinishReasonFails() throws Exception {
    JsonNode chunk = mapper.readTree("""
        {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",
         "choices":[{"index":0,"delta":{},"finish_reason":"tired"}]}""");

    assertThat(schemas.errors("CreateChatCompletionStreamResponse", chunk)).isNotEmpty();
  }

  @Test
  void errorEnvelopeWithNullParamAndCodePasses() {
    schemas.assertValid("ErrorResponse",
        "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
  }

  @Test
  void errorEnvelopeWithoutTypeFails() throws Exception {
    JsonNode error = mapper.readTree("{\"error\":{\"message\":\"bad\",\"param\":null,\"code\":null}}");

    assertThat(schemas.errors("ErrorResponse", error)).anyMatch(e -> e.contains("type"));
  }

  @Test
  void modelListPasses() {
    schemas.assertValid("ListModelsResponse", """
        {"object":"list","data":[{"id":"m","object":"model","created":1700000000,"owned_by":"fake"}]}""");
  }

  @Test
  void otherResponseSchemasCompile() {
    schemas.assertValid("CreateEmbeddingResponse", """
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"e",
         "usage":{"prompt_tokens":2,"total_tokens":2}}""");
    schemas.assertValid("CreateCompletionResponse", """
        {"id":"cmpl-1","object":"text_completion","created":1,"model":"m",
         "choices":[{"text":"hi","index":0,"logprobs":null,"finish_reason":"stop"}]}""");
    schemas.assertValid("Model", "{\"id\":\"m\",\"object\":\"model\",\"created\":1,\"owned_by\":\"o\"}");
  }
}
