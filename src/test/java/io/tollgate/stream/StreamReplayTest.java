package io.tollgate.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.testing.OpenApiSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole answers told as streams, for models whose upstream is called without streaming. */
class StreamReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TEXT_ANSWER = """
      {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "m-1",
       "system_fingerprint": "fp_1",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there", "refusal": null,
                    "reasoning_content": "The user greets me."},
                    "logprobs": null, "finish_reason": "length"}],
       "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}""";

  private static final String TOOL_ANSWER = """
      {"id": "chatcmpl-2", "object": "chat.completion", "created": 1700000001, "model": "m-1",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [
                      {"id": "call_a", "type": "function",
                       "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                      {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]},
                    "logprobs": null, "finish_reason": "tool_calls"}]}""";

  @Test
  void aTextAnswerBecomesRoleWithReasoningContentFinishAndUsageChunks() {
    List<JsonNode> chunks = validChunks(Endpoint.CHAT, TEXT_ANSWER);
    assertThat(chunks).hasSize(4);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.path("id").asText()).isEqualTo("chatcmpl-1");
      assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.path("created").asLong()).isEqualTo(1700000000L);
      assertThat(c.path("model").asText()).isEqualTo("m-1");
      assertThat(c.path("system_fingerprint").asText()).isEqualTo("fp_1");
    });
    assertThat(chunks.get(0).at("/choices/0/delta").toString()).as("reasoning first: no empty text before it")
        .isEqualTo("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"The user greets me.\"}");
    assertThat(chunks.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Hello there");
    assertThat(chunks.subList(0, 2)).allSatisfy(c -> assertThat(c.at("/choices/0/finish_reason").isNull()).isTrue());
    assertThat(chunks.get(2).at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(chunks.get(2).at("/choices/0/delta").isEmpty()).isTrue();
    assertThat(chunks.get(3).path("choices").isEmpty()).isTrue();
    assertThat(chunks.get(3).at("/usage/total_tokens").asInt()).isEqualTo(7);
  }

  @Test
  void aToolCallAnswerOpensAsOpenAiDoesWithContentNullBesideTheCalls() {
    List<JsonNode> chunks = validChunks(Endpoint.CHAT, TOOL_ANSWER);
    assertThat(chunks).hasSize(2).as("no usage in the answer, so no usage chunk");
    JsonNode delta = chunks.get(0).at("/choices/0/delta");
    assertThat(delta.path("role").asText()).isEqualTo("assistant");
    assertThat(delta.get("content").isNull()).as("content is null, never \"\", beside tool calls").isTrue();
    JsonNode calls = delta.path("tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).toString()).isEqualTo("{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}");
    assertThat(calls.get(1).path("index").asInt()).isEqualTo(1);
    assertThat(calls.get(1).at("/function/name").asText()).isEqualTo("get_time");
    assertThat(chunks.get(1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void aTextAnswerStillOpensWithARoleChunkOfEmptyContent() {
    String answer = """
        {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [
          {"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}]}""";
    List<JsonNode> chunks = validChunks(Endpoint.CHAT, answer);
    assertThat(chunks.get(0).at("/choices/0/delta").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
    assertThat(chunks.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Hi");
  }

  @Test
  void everyChoiceOfSeveralIsToldInTurn() {
    String answer = """
        {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [
          {"index": 0, "message": {"role": "assistant", "content": "A"}, "finish_reason": "stop"},
          {"index": 1, "message": {"role": "assistant", "content": "B", "refusal": "no"}, "finish_reason": null}]}""";
    List<JsonNode> chunks = validChunks(Endpoint.CHAT, answer);
    assertThat(chunks).extracting(c -> c.at("/choices/0/index").asInt()).containsExactly(0, 0, 0, 1, 1, 1, 1);
    assertThat(chunks.get(5).at("/choices/0/delta/refusal").asText()).isEqualTo("no");
    assertThat(chunks.get(6).at("/choices/0/finish_reason").asText()).as("a missing reason reads as stop")
        .isEqualTo("stop");
  }

  @Test
  void aTextCompletionBecomesOneChunkPerChoiceAndAUsageChunk() {
    String answer = """
        {"id": "cmpl-1", "object": "text_completion", "created": 2, "model": "m",
         "choices": [{"index": 0, "text": "upon a time", "logprobs": null, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}}""";
    List<JsonNode> chunks = parse(StreamReplay.chunks(Endpoint.COMPLETIONS, bytes(answer)));
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).path("object").asText()).isEqualTo("text_completion");
    assertThat(chunks.get(0).at("/choices/0/text").asText()).isEqualTo("upon a time");
    OpenApiSchemas.load().assertValid("CreateCompletionResponse", chunks.get(0).toString());
    assertThat(chunks.get(1).path("choices").isEmpty()).isTrue();
    assertThat(chunks.get(1).at("/usage/total_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void replayOpensSendsAndCompletesTheSink() {
    Recording sink = new Recording();
    StreamReplay.replay(Endpoint.CHAT, bytes(TOOL_ANSWER), sink);
    assertThat(sink.events).containsExactly("open", "chunk", "chunk", "complete");
  }

  @Test
  void anAnswerThatIsNoCompletionFailsTheSinkBeforeItOpens() {
    for (String bad : List.of("not json", "{\"object\": \"list\", \"data\": []}", "[]")) {
      Recording sink = new Recording();
      StreamReplay.replay(Endpoint.CHAT, bytes(bad), sink);
      assertThat(sink.events).as(bad).containsExactly("error");
      assertThat(sink.error.type()).isEqualTo(ErrorType.UPSTREAM_ERROR);
    }
  }

  @Test
  void theUnstreamedRequestIsACopyWithoutStreamAndStreamOptions() throws IOException {
    ObjectNode body = (ObjectNode) JSON.readTree("""
        {"model": "m", "stream": true, "stream_options": {"include_usage": true}, "max_tokens": 9,
         "messages": [{"role": "user", "content": "x"}]}""");
    OpenAiRequest call = new OpenAiRequest(Endpoint.CHAT, body, "m", true, true);
    OpenAiRequest plain = StreamReplay.withoutStreaming(call);
    assertThat(plain.stream()).isFalse();
    assertThat(plain.includeUsage()).isFalse();
    assertThat(plain.body().has("stream")).isFalse();
    assertThat(plain.body().has("stream_options")).isFalse();
    assertThat(plain.body().path("max_tokens").asInt()).isEqualTo(9);
    assertThat(body.path("stream").asBoolean()).as("the client's body is left alone").isTrue();
  }

  private static List<JsonNode> validChunks(Endpoint endpoint, String answer) {
    List<byte[]> chunks = StreamReplay.chunks(endpoint, bytes(answer));
    chunks.forEach(c -> OpenApiSchemas.load().assertValid("CreateChatCompletionStreamResponse",
        new String(c, StandardCharsets.UTF_8)));
    return parse(chunks);
  }

  private static List<JsonNode> parse(List<byte[]> chunks) {
    List<JsonNode> out = new ArrayList<>();
    for (byte[] c : chunks) {
      try {
        out.add(JSON.readTree(c));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final class Recording implements ChunkSink {
    final List<String> events = new ArrayList<>();
    GatewayException error;

    @Override
    public boolean onPause(Runnable more) {
      return true;
    }

    @Override
    public void onOpen() {
      events.add("open");
    }

    @Override
    public void onChunk(byte[] json) {
      events.add("chunk");
    }

    @Override
    public void onError(GatewayException e) {
      events.add("error");
      error = e;
    }

    @Override
    public void onComplete() {
      events.add("complete");
    }
  }
}
