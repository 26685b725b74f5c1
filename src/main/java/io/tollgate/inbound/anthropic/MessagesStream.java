package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.openai.Reasoning;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI chat chunks as Anthropic's stream events. {@code message_start} and a {@code ping} open the stream; a
 * content block opens when the kind of delta changes (reasoning as {@code thinking}, content as {@code text}, each
 * tool call index as {@code tool_use}) and closes when the next one opens; the finish reason and usage, which
 * OpenAI sends last, go into {@code message_delta} before {@code message_stop}.
 *
 * <p>{@code message_start} goes out with the first chunk, so that it names the model the upstream reports, as the
 * chunks do. OpenAI says nothing about input tokens before the end, but clients such as LangChain's ChatAnthropic
 * read them from {@code message_start} only: it carries the upstream's count if the first chunk has one, else the
 * gateway's estimate; {@code message_delta} carries the upstream's exact count (the estimate again if it never
 * sent one). One per stream, fed by one thread at a time.
 */
final class MessagesStream {
  /** Where the events go: the name of each, and its data (whose {@code type} is the same name). */
  interface Events {
    void event(String name, ObjectNode data);
  }

  private final Events out;
  private final String id;
  private final String model;
  private final int inputEstimate;
  private final Map<Integer, Integer> blockByToolCall = new HashMap<>();
  private int nextBlock;
  private int openBlock = -1;
  private String openKind;
  private String finishReason;
  private JsonNode usage;
  private boolean started;
  private boolean finished;

  /** {@code model} is the name the upstream was sent, for a stream whose chunks name none. */
  MessagesStream(Events out, String model, int inputEstimate) {
    this(out, Ids.random("msg_"), model, inputEstimate);
  }

  MessagesStream(Events out, String id, String model, int inputEstimate) {
    this.out = out;
    this.id = id;
    this.model = model;
    this.inputEstimate = inputEstimate;
  }

  private void start(JsonNode first) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode message = AnswerMapper.head(id, AnswerMapper.model(first, model));
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", usage(first.get("usage")).put("output_tokens", 0));
    emit("message_start", data("message_start").set("message", message));
    emit("ping", data("ping"));
  }

  void chunk(JsonNode chunk) {
    start(chunk);
    if (chunk.path("usage").isObject()) {
      usage = chunk.get("usage");
    }
    JsonNode choice = chunk.path("choices").path(0);
    if (!choice.isObject()) {
      return;
    }
    JsonNode delta = choice.path("delta");
    String reasoning = Reasoning.of(delta);
    if (!reasoning.isEmpty()) {
      delta(open("thinking"), "thinking_delta", "thinking", reasoning);
    }
    String text = delta.path("content").asText("");
    if (!text.isEmpty()) {
      delta(open("text"), "text_delta", "text", text);
    }
    JsonNode calls = delta.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      int block = toolBlock(call.path("index").asInt(i), call);
      String arguments = call.path("function").path("arguments").asText("");
      if (!arguments.isEmpty()) {
        delta(block, "input_json_delta", "partial_json", arguments);
      }
    }
    if (choice.hasNonNull("finish_reason")) {
      finishReason = choice.get("finish_reason").asText();
    }
  }

  /** The last events: the open block's stop, the stop reason and usage, message_stop. */
  void finish() {
    if (finished) {
      return;
    }
    start(MissingNode.getInstance());
    finished = true;
    close();
    ObjectNode delta = data("message_delta");
    delta.putObject("delta").put("stop_reason", MessagesWire.stopReason(finishReason, !blockByToolCall.isEmpty()))
        .putNull("stop_sequence");
    delta.set("usage", usage(usage));
    emit("message_delta", delta);
    emit("message_stop", data("message_stop"));
  }

  /** The upstream's usage in Anthropic's terms, or the estimate while it has sent none. */
  private ObjectNode usage(JsonNode openAiUsage) {
    return MessagesWire.usage(openAiUsage != null && openAiUsage.isObject() ? openAiUsage
        : Json.MAPPER.createObjectNode().put("prompt_tokens", inputEstimate));
  }

  /** The block for this kind of delta, opening it (and closing the last) when the kind changes. */
  private int open(String kind) {
    if (kind.equals(openKind)) {
      return openBlock;
    }
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", kind);
    if (kind.equals("thinking")) {
      block.put("thinking", "").put("signature", "");
    } else {
      block.put("text", "");
    }
    return begin(kind, block);
  }

  /**
   * A tool call's block: opened when its index first appears. Deltas for a call whose block was closed (an upstream
   * that interleaves calls) still go to that block's index.
   */
  private int toolBlock(int index, JsonNode call) {
    Integer block = blockByToolCall.get(index);
    if (block != null) {
      return block;
    }
    String callId = call.path("id").asText("");
    ObjectNode use = Json.MAPPER.createObjectNode().put("type", "tool_use")
        .put("id", callId.isEmpty() ? Ids.random("toolu_") : callId)
        .put("name", call.path("function").path("name").asText(""));
    use.putObject("input");
    int opened = begin("tool_use", use);
    blockByToolCall.put(index, opened);
    return opened;
  }

  private int begin(String kind, ObjectNode block) {
    close();
    openBlock = nextBlock++;
    openKind = kind;
    emit("content_block_start", data("content_block_start").put("index", openBlock).set("content_block", block));
    return openBlock;
  }

  private void close() {
    if (openBlock >= 0) {
      emit("content_block_stop", data("content_block_stop").put("index", openBlock));
      openBlock = -1;
      openKind = null;
    }
  }

  private void delta(int block, String type, String field, String value) {
    ObjectNode event = data("content_block_delta").put("index", block);
    event.putObject("delta").put("type", type).put(field, value);
    emit("content_block_delta", event);
  }

  private static ObjectNode data(String type) {
    return Json.MAPPER.createObjectNode().put("type", type);
  }

  private void emit(String name, ObjectNode data) {
    out.event(name, data);
  }
}
