package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.FixtureFiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK as the client, through the gateway to an OpenAI-format upstream, to an Anthropic
 * upstream (whose own answers and events come back untouched) and to the built-in echo model: messages, streamed
 * text and tool use, and token counts.
 */
class AnthropicSdkTest extends MessagesFixture {
  private static AnthropicClient client;

  @BeforeAll
  static void startClient() {
    client = sdk();
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  private static MessageCreateParams.Builder ask(String model, String text) {
    return MessageCreateParams.builder().model(model).maxTokens(200).system("Be brief.").addUserMessage(text);
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Weather for a city")
        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of("city")).build())
        .build();
  }

  private static Message streamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.message();
  }

  private static String text(Message m) {
    StringBuilder sb = new StringBuilder();
    m.content().forEach(b -> b.text().ifPresent(t -> sb.append(t.text())));
    return sb.toString();
  }

  @Test
  void aMessageFromAnOpenAiUpstream() {
    Message m = client.messages().create(ask("gpt-via-messages", "Say hello").build());
    assertThat(text(m)).isEqualTo("Hello from fake");
    assertThat(m.id()).startsWith("msg_");
    assertThat(m.model().asString()).as("the model the upstream reports").isEqualTo("gpt-4o-upstream");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
    assertThat(sent.json().get("model").asText()).isEqualTo("gpt-4o-upstream");
    assertThat(sent.json().get("messages")).isEqualTo(FixtureFiles.tree(
        "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]"));
    assertThat(sent.json().get("max_tokens").asInt()).isEqualTo(200);
  }

  @Test
  void aStreamedMessageFromAnOpenAiUpstream() {
    upstream.enqueue(FakeResponse.sse(openAiChunks("text.chunks.jsonl"), Duration.ofMillis(5)));
    Message m = streamed(ask("gpt-via-messages", "Say hello").build());
    assertThat(text(m)).isEqualTo("Hello there!");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().outputTokens()).isEqualTo(6);
    assertThat(m.usage().inputTokens()).as("message_start says 0; message_delta brings the count").isEqualTo(14);
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  @Test
  void aStreamedToolCallFromAnOpenAiUpstream() {
    upstream.enqueue(FakeResponse.sse(openAiChunks("parallel-tool-calls.chunks.jsonl"), Duration.ZERO));
    Message m = streamed(ask("gpt-via-messages", "Weather in Paris and Rome?").addTool(weatherTool()).build());
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    List<ContentBlock> calls = m.content().stream().filter(ContentBlock::isToolUse).toList();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).asToolUse().id()).isEqualTo("call_Paris");
    assertThat(calls.get(0).asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(calls.get(1).asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Rome"));
    JsonNode tool = upstream.takeRequest().json().at("/tools/0");
    assertThat(tool).isEqualTo(FixtureFiles.tree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"description\":\"Weather for a city\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}"));
  }

  @Test
  void tokensAreEstimatedForAnOpenAiUpstream() {
    long tokens = client.messages().countTokens(MessageCountTokensParams.builder().model("gpt-via-messages")
        .addUserMessage("x".repeat(400)).build()).inputTokens();
    assertThat(tokens).isEqualTo(100);
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void aMessageFromAnAnthropicUpstreamComesBackAsItWas() {
    upstream.enqueue(FakeResponse.json(200, FixtureFiles.text("anthropic/responses", "tool-use.anthropic.json")));
    Message m = client.messages().create(ask("claude-native", "Weather?").addTool(weatherTool()).build());
    assertThat(m.id()).isEqualTo("msg_014p7gG3wDgGV9EUtLvnow3U");
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(m.content().get(1).asToolUse()._input().convert(Map.class))
        .isEqualTo(Map.of("city", "Paris", "unit", "celsius"));
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
    assertThat(sent.header("anthropic-version")).as("the SDK's own version: the body is written for it").isNotBlank();
    assertThat(sent.json().get("model").asText()).isEqualTo("claude-upstream");
    assertThat(sent.json().at("/tools/0/input_schema/required/0").asText()).isEqualTo("city");
  }

  @Test
  void aStreamedToolCallFromAnAnthropicUpstreamComesBackAsItWas() {
    upstream.enqueue(FakeResponse.rawEvents(anthropicEvents("tool-call.sse"), Duration.ofMillis(2)));
    Message m = streamed(ask("claude-native", "Weather?").addTool(weatherTool()).build());
    assertThat(m.id()).isEqualTo("msg_014p7gG3wDgGV9EUtLvnow3U");
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(m.content().get(1).asToolUse()._input().convert(Map.class))
        .isEqualTo(Map.of("city", "Paris", "unit", "celsius"));
    assertThat(upstream.takeRequest().header("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void aStreamedMessageFromAnAnthropicUpstream() {
    upstream.enqueue(FakeResponse.rawEvents(anthropicEvents("text.sse"), Duration.ofMillis(2)));
    Message m = streamed(ask("claude-native", "Say hello").build());
    assertThat(text(m)).isEqualTo("Hello there!");
    assertThat(m.usage().inputTokens()).isEqualTo(14);
  }

  @Test
  void tokensAreCountedByAnAnthropicUpstream() {
    upstream.enqueue(FakeResponse.json(200, "{\"input_tokens\":2095}"));
    long tokens = client.messages().countTokens(MessageCountTokensParams.builder().model("claude-native")
        .system("Be brief.").addUserMessage("Hello").build()).inputTokens();
    assertThat(tokens).isEqualTo(2095);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
    assertThat(sent.json()).isEqualTo(FixtureFiles.tree("{\"model\":\"claude-upstream\",\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));
  }

  @Test
  void theEchoModelAnswersPlainAndStreamed() {
    Message plain = client.messages().create(ask("echo-test", "Echo me").build());
    assertThat(text(plain)).contains("Echo me");
    assertThat(plain.model().asString()).as("the echo target's model name").isEqualTo("echo");
    Message stream = streamed(ask("echo-test", "Echo me").build());
    assertThat(text(stream)).isEqualTo(text(plain));
    assertThat(stream.stopReason()).contains(StopReason.END_TURN);
    assertThat(stream.usage().outputTokens()).isPositive();
    assertThat(client.messages().countTokens(MessageCountTokensParams.builder().model("echo-test")
        .addUserMessage("Echo me").build()).inputTokens()).isEqualTo(2);
  }
}
