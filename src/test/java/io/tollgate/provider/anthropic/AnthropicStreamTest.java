package io.tollgate.provider.anthropic;

import static io.tollgate.provider.anthropic.Fixtures.CREATED;
import static io.tollgate.provider.anthropic.Fixtures.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.upstream.SseReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recorded Anthropic streams ({@code streams/X.sse}) fed through {@link SseReader} in small pieces must give the
 * chunks of {@code streams/X.chunks.jsonl}, one JSON per line, and then its last line: COMPLETE or the error.
 * Names starting with "completion-" are legacy completions, "json-" answer a {@code response_format}.
 */
class AnthropicStreamTest {

  static Stream<String> streams() {
    return Fixtures.cases("streams", ".sse");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void eventsBecomeChunks(String name) {
    boolean completion = name.startsWith("completion-");
    List<String> got = play(name, completion ? Endpoint.COMPLETIONS : Endpoint.CHAT, name.startsWith("json-"));
    List<String> expected = new String(Fixtures.bytes("streams", name + ".chunks.jsonl"), StandardCharsets.UTF_8)
        .lines().filter(l -> !l.isBlank()).toList();
    assertThat(got.get(0)).isEqualTo("OPEN");
    assertThat(got).hasSize(expected.size() + 1);
    String schema = completion ? "CreateCompletionResponse" : "CreateChatCompletionStreamResponse";
    for (int i = 0; i < expected.size() - 1; i++) {
      assertThat(tree(got.get(i + 1))).as("chunk %d", i).isEqualTo(tree(expected.get(i)));
      if (!completion) {
        OpenApiSchemas.load().assertValid(schema, got.get(i + 1));
      }
    }
    assertThat(got.get(got.size() - 1)).isEqualTo(expected.get(expected.size() - 1));
    assertThat(got.stream().skip(1).map(AnthropicStreamTest::tree).filter(JsonNode::isObject)
        .map(c -> c.get("id").asText()).distinct()).as("one id for every chunk").hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void toolCallArgumentsJoinIntoTheJsonAnthropicStreamed() {
    List<String> got = play("tool-call", Endpoint.CHAT, false);
    StringBuilder paris = new StringBuilder();
    for (String event : got) {
      JsonNode calls = tree(event).at("/choices/0/delta/tool_calls");
      if (calls.isArray() && calls.get(0).get("index").asInt() == 0) {
        paris.append(calls.get(0).at("/function/arguments").asText());
      }
    }
    assertThat(tree(paris.toString())).isEqualTo(tree("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
  }

  @Test
  void anErrorBeforeAnyMessageStartStillEndsTheStreamWithThatError() {
    RecordingSink sink = new RecordingSink();
    AnthropicStream stream = new AnthropicStream(sink, ROUTE, Endpoint.CHAT, false, CREATED);
    stream.onOpen();
    stream.onEvent("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal\"}}"
        .getBytes(StandardCharsets.UTF_8));
    stream.onClose();
    assertThat(sink.events).containsExactly("OPEN",
        "ERROR 502 The upstream provider 'anthropic-main' failed (HTTP 500): Internal");
  }

  @Test
  void everyReadIsPassedOnAsAPauseUntilTheStreamEnds() {
    RecordingSink sink = new RecordingSink();
    playInto(sink, "text", Endpoint.CHAT, false);
    int reads = (Fixtures.bytes("streams", "text.sse").length + 6) / 7;
    // the relay writes to the client only at a pause, so a lost pause would hold the events back
    assertThat(sink.pauses).isPositive().isLessThanOrEqualTo(reads);
    assertThat(sink.events).last().isEqualTo("COMPLETE");
  }

  /** Plays a fixture through SseReader seven bytes at a time, as a slow network would deliver it. */
  private static List<String> play(String name, Endpoint endpoint, boolean jsonTool) {
    RecordingSink sink = new RecordingSink();
    playInto(sink, name, endpoint, jsonTool);
    return new ArrayList<>(sink.events);
  }

  private static void playInto(RecordingSink sink, String name, Endpoint endpoint, boolean jsonTool) {
    AnthropicStream stream = new AnthropicStream(sink, ROUTE, endpoint, jsonTool, CREATED);
    stream.onOpen();
    SseReader reader = new SseReader(stream::onEvent);
    byte[] all = Fixtures.bytes("streams", name + ".sse");
    for (int i = 0; i < all.length; i += 7) {
      reader.feed(ByteBuffer.wrap(all, i, Math.min(7, all.length - i)));
      stream.onPause(() -> { });
    }
    reader.finish();
    stream.onClose();
  }

  private static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
