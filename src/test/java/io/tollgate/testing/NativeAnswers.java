package io.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link FakeUpstream} answers by default on Anthropic's and Gemini's own paths (the Messages API, and
 * generateContent / streamGenerateContent), in their wire formats, so a fake can stand for those provider types
 * too; their recorded fixtures show the same shapes.
 */
final class NativeAnswers {
  private static final List<String> DELTAS = List.of("Hel", "lo ", "fake");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private NativeAnswers() {
  }

  /** The native answer for this path, or null when it is none of theirs. */
  static FakeResponse answer(String path, JsonNode request) {
    if (path.endsWith("/messages")) {
      String model = request.path("model").asText("claude-fake");
      return request.path("stream").asBoolean(false) ? FakeResponse.rawEvents(anthropicEvents(model), Duration.ZERO)
          : FakeResponse.json(200, anthropicMessage(model).toString());
    }
    if (path.contains(":generateContent")) {
      return FakeResponse.json(200, geminiChunk(String.join("", DELTAS), true).toString());
    }
    if (path.contains(":streamGenerateContent")) {
      List<String> chunks = new ArrayList<>();
      DELTAS.forEach(d -> chunks.add(geminiChunk(d, false).toString()));
      chunks.add(geminiChunk("", true).toString());
      return FakeResponse.sse(chunks, Duration.ZERO);
    }
    return null;
  }

  private static ObjectNode anthropicMessage(String model) {
    ObjectNode message = MAPPER.createObjectNode().put("id", "msg_fake").put("type", "message")
        .put("role", "assistant").put("model", model);
    message.putArray("content").addObject().put("type", "text").put("text", String.join("", DELTAS));
    message.put("stop_reason", "end_turn").putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", 7).put("output_tokens", 3);
    return message;
  }

  /** Whole events, "event: name\ndata: json", as {@link FakeResponse#rawEvents} sends them. */
  private static List<String> anthropicEvents(String model) {
    ObjectNode start = anthropicMessage(model);
    start.putArray("content");
    start.putNull("stop_reason");
    start.putObject("usage").put("input_tokens", 7).put("output_tokens", 1);
    List<String> events = new ArrayList<>();
    events.add(event("message_start", MAPPER.createObjectNode().set("message", start)));
    ObjectNode block = MAPPER.createObjectNode().put("index", 0);
    block.putObject("content_block").put("type", "text").put("text", "");
    events.add(event("content_block_start", block));
    for (String d : DELTAS) {
      ObjectNode delta = MAPPER.createObjectNode().put("index", 0);
      delta.putObject("delta").put("type", "text_delta").put("text", d);
      events.add(event("content_block_delta", delta));
    }
    events.add(event("content_block_stop", MAPPER.createObjectNode().put("index", 0)));
    ObjectNode end = MAPPER.createObjectNode();
    end.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
    end.putObject("usage").put("output_tokens", 3);
    events.add(event("message_delta", end));
    events.add(event("message_stop", MAPPER.createObjectNode()));
    return events;
  }

  private static String event(String name, ObjectNode data) {
    ObjectNode typed = MAPPER.createObjectNode().put("type", name);
    typed.setAll(data);
    return "event: " + name + "\ndata: " + typed;
  }

  /** One generateContent answer, or one chunk of a stream: the last carries the finish reason and the usage. */
  private static ObjectNode geminiChunk(String text, boolean last) {
    ObjectNode chunk = MAPPER.createObjectNode();
    ObjectNode candidate = chunk.putArray("candidates").addObject();
    candidate.putObject("content").put("role", "model").putArray("parts").addObject().put("text", text);
    if (last) {
      candidate.put("finishReason", "STOP");
    }
    candidate.put("index", 0);
    ObjectNode usage = chunk.putObject("usageMetadata").put("promptTokenCount", 7);
    if (last) {
      usage.put("candidatesTokenCount", 3);
    }
    usage.put("totalTokenCount", last ? 10 : 7);
    return chunk.put("modelVersion", "gemini-fake").put("responseId", "fake-1");
  }
}
