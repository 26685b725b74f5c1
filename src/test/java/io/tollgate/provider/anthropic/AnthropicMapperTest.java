package io.tollgate.provider.anthropic;

import static io.tollgate.provider.anthropic.Fixtures.CREATED;
import static io.tollgate.provider.anthropic.Fixtures.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.testing.OpenApiSchemas;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden translations: each {@code requests/X.openai.json} must become {@code requests/X.anthropic.json}, and each
 * {@code responses/X.anthropic.json} must come back as {@code responses/X.openai.json}. Names starting with
 * "completion-" are legacy completions; response names starting with "json-" answer a {@code response_format}.
 */
class AnthropicMapperTest {

  static Stream<String> requests() {
    return Fixtures.cases("requests", ".openai.json");
  }

  static Stream<String> responses() {
    return Fixtures.cases("responses", ".anthropic.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void requestBecomesMessagesRequest(String name) {
    AnthropicWire.Outbound out = AnthropicMapper.toMessages(ROUTE, request(name));
    assertThat(Fixtures.reparsed(out.body())).isEqualTo(Fixtures.json("requests", name + ".anthropic.json"));
    assertThat(out.jsonTool()).isEqualTo(name.startsWith("response-format"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void messageBecomesOpenAiAnswer(String name) {
    JsonNode message = Fixtures.json("responses", name + ".anthropic.json");
    boolean completion = name.startsWith("completion-");
    JsonNode answer = completion ? AnthropicMapper.toTextCompletion(message, "claude-upstream-model", CREATED)
        : AnthropicMapper.toChatCompletion(message, name.startsWith("json-"), "claude-upstream-model", CREATED);
    assertThat(Fixtures.reparsed(answer)).isEqualTo(Fixtures.json("responses", name + ".openai.json"));
    OpenApiSchemas.load().assertValid(completion ? "CreateCompletionResponse" : "CreateChatCompletionResponse",
        Json.string(answer));
  }

  @Test
  void defaultMaxTokensIsAProviderOption() {
    OpenAiRequest request = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(AnthropicMapper.toMessages(Fixtures.route(Map.of("default_max_tokens", "1000")), request).body()
        .get("max_tokens").asInt()).isEqualTo(1000);
    assertThat(AnthropicMapper.toMessages(ROUTE, request).body().get("max_tokens").asInt())
        .isEqualTo(AnthropicMapper.DEFAULT_MAX_TOKENS);
  }

  @Test
  void aForcedToolWinsOverThinkingWhichAnthropicRefusesAlongsideIt() {
    JsonNode body = AnthropicMapper.toMessages(ROUTE, chat("{\"model\":\"m\",\"reasoning_effort\":\"medium\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":\"required\","
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}")).body();
    assertThat(body.has("thinking")).isFalse();
    assertThat(body.at("/tool_choice/type").asText()).isEqualTo("any");
    JsonNode auto = AnthropicMapper.toMessages(ROUTE, chat("{\"model\":\"m\",\"reasoning_effort\":\"medium\","
        + "\"max_tokens\":8000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).body();
    assertThat(auto.at("/thinking/budget_tokens").asInt()).isEqualTo(4096);
    assertThat(auto.get("max_tokens").asInt()).isEqualTo(8000);
  }

  @Test
  void inputAnthropicCannotTakeIsA400NamingTheField() {
    assertInvalid("{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "n");
    assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"ftp://x/y.png\"}}]}]}", "messages[0].content[0].image_url.url");
    assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
        + "\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}}]}]}", "messages[0].content[0]");
    assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t\","
        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}",
        "messages[0].tool_calls[0].function.arguments");
  }

  @Test
  void modelListBecomesOpenAiList() {
    JsonNode list = AnthropicMapper.toModelList(Json.MAPPER.valueToTree(Map.of("data", java.util.List.of(
        Map.of("type", "model", "id", "claude-sonnet-4-5-20250929", "display_name", "Claude Sonnet 4.5",
            "created_at", "2025-09-29T00:00:00Z")), "has_more", false)));
    assertThat(list.at("/data/0/id").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(list.at("/data/0/created").asLong()).isEqualTo(1759104000L);
    OpenApiSchemas.load().assertValid("ListModelsResponse", Json.string(list));
  }

  private static void assertInvalid(String body, String param) {
    assertThatThrownBy(() -> AnthropicMapper.toMessages(ROUTE, chat(body)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.param()).isEqualTo(param);
        });
  }

  private static OpenAiRequest request(String name) {
    return RequestValidator.parse(name.startsWith("completion-") ? Endpoint.COMPLETIONS : Endpoint.CHAT,
        Fixtures.bytes("requests", name + ".openai.json"));
  }

  private static OpenAiRequest chat(String body) {
    return RequestValidator.parse(Endpoint.CHAT, body.getBytes(StandardCharsets.UTF_8));
  }
}
