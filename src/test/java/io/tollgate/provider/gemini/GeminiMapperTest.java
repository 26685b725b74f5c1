package io.tollgate.provider.gemini;

import static io.tollgate.provider.gemini.GeminiFixtures.bytes;
import static io.tollgate.provider.gemini.GeminiFixtures.canonical;
import static io.tollgate.provider.gemini.GeminiFixtures.json;
import static io.tollgate.provider.gemini.GeminiFixtures.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.testing.OpenApiSchemas;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden pairs: an OpenAI request and the Gemini request it becomes; a Gemini answer and the OpenAI answer. */
class GeminiMapperTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"chat-basic", "chat-media", "chat-tools", "chat-tools-gemini3", "chat-json-schema",
      "chat-json-object", "system-only", "completion", "embeddings"})
  void requestsBecomeGeminiRequests(String name) {
    byte[] body = bytes("requests/" + name + ".openai.json");
    OpenAiRequest request = parse(body);
    JsonNode before = request.body().deepCopy();
    JsonNode sent = request.endpoint() == Endpoint.EMBEDDINGS
        ? EmbeddingMapper.toBatchEmbed(request, request.model())
        : GeminiMapper.toGenerateContent(request, request.model());
    assertSameJson(canonical(sent), json("requests/" + name + ".gemini.json"));
    assertThat(request.body()).as("the client's body is only read").isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"chat-text", "chat-tool-call", "chat-text-and-calls", "chat-candidates",
      "completion-text", "models-list", "embeddings"})
  void answersBecomeOpenAiAnswers(String name) throws Exception {
    byte[] gemini = bytes("responses/" + name + ".gemini.json");
    JsonNode answer;
    String schema;
    if (name.startsWith("chat")) {
      answer = AnswerMapper.chatCompletion(GeminiWire.read(gemini, GeminiWire.Response.class), "gemini-test");
      schema = "CreateChatCompletionResponse";
    } else if (name.startsWith("completion")) {
      answer = AnswerMapper.textCompletion(GeminiWire.read(gemini, GeminiWire.Response.class), "gemini-test");
      schema = "CreateCompletionResponse";
    } else if (name.startsWith("models")) {
      answer = AnswerMapper.modelList(GeminiWire.read(gemini, GeminiWire.ModelList.class));
      schema = "ListModelsResponse";
    } else {
      answer = EmbeddingMapper.embeddings(GeminiWire.read(gemini, GeminiWire.EmbedResponse.class),
          parse("{\"model\":\"text-embedding-004\",\"input\":[\"hello\",\"world!\"]}"), "gemini-test");
      schema = "CreateEmbeddingResponse";
    }
    OpenApiSchemas.load().assertValid(schema, Json.string(answer));
    assertSameJson(normalized(answer), json("responses/" + name + ".openai.json"));
  }

  @Test
  void toolCallsGetFreshIdsOfTheirOwn() throws Exception {
    JsonNode answer = AnswerMapper.chatCompletion(GeminiWire.read(bytes("responses/chat-text-and-calls.gemini.json"),
        GeminiWire.Response.class), "m");
    String first = answer.at("/choices/0/message/tool_calls/0/id").asText();
    String second = answer.at("/choices/0/message/tool_calls/1/id").asText();
    assertThat(first).matches("call_[0-9a-f]{24}");
    assertThat(second).matches("call_[0-9a-f]{24}").isNotEqualTo(first);
  }

  @Test
  void aBlockedPromptIsAClear400() throws Exception {
    GeminiWire.Response blocked = GeminiWire.read(("{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},"
        + "\"usageMetadata\":{\"promptTokenCount\":9}}").getBytes(StandardCharsets.UTF_8), GeminiWire.Response.class);
    assertThatThrownBy(() -> AnswerMapper.chatCompletion(blocked, "m")).isInstanceOfSatisfying(GatewayException.class,
        e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("content_filter");
          assertThat(e.getMessage()).contains("blocked the prompt").contains("PROHIBITED_CONTENT");
        });
  }

  @Test
  void anAnswerWithoutCandidatesOrReasonIsAnUpstreamFailure() throws Exception {
    GeminiWire.Response empty = GeminiWire.read("{}".getBytes(StandardCharsets.UTF_8), GeminiWire.Response.class);
    assertThatThrownBy(() -> AnswerMapper.textCompletion(empty, "m"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
  }

  @Test
  void base64EmbeddingsAreLittleEndianFloats() throws Exception {
    JsonNode answer = EmbeddingMapper.embeddings(GeminiWire.read(bytes("responses/embeddings.gemini.json"),
        GeminiWire.EmbedResponse.class),
        parse("{\"model\":\"e\",\"input\":\"hello\",\"encoding_format\":\"base64\"}"), "e");
    ByteBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(answer.at("/data/0/embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new float[] {floats.getFloat(), floats.getFloat(), floats.getFloat()})
        .containsExactly(0.25f, -0.5f, 0.125f);
  }

  @Test
  void whatGeminiCannotTakeIsAClear400() {
    assertThatThrownBy(() -> GeminiMapper.toGenerateContent(parse("{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}"), "m"))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.param()).isEqualTo("prompt");
        });
    assertThatThrownBy(() -> EmbeddingMapper.toBatchEmbed(parse("{\"model\":\"m\",\"input\":[[1,2,3]]}"), "m"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("input"));
  }

  /** Equal as JSON (object keys in any order); a failure shows both sides in full. */
  static void assertSameJson(JsonNode actual, JsonNode expected) {
    assertThat(actual).withFailMessage("expected:%n%s%nbut was:%n%s", expected.toPrettyString(),
        actual.toPrettyString()).isEqualTo(expected);
  }

  private static OpenAiRequest parse(String body) {
    return parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static OpenAiRequest parse(byte[] body) {
    JsonNode tree = readTree(body);
    Endpoint endpoint = tree.has("messages") ? Endpoint.CHAT : tree.has("prompt") ? Endpoint.COMPLETIONS
        : Endpoint.EMBEDDINGS;
    return RequestValidator.parse(endpoint, body);
  }

  private static JsonNode readTree(byte[] body) {
    try {
      return Json.tree(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
