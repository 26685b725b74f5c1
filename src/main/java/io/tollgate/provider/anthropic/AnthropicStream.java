package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.upstream.SseListener;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's stream events as OpenAI chunks: the role with the first delta; text, tool call and thinking
 * deltas as they come (tool calls numbered in order of appearance); the finish reason on {@code message_delta}; a
 * usage chunk and the end on {@code message_stop}. An {@code error} event ends the stream with that error. Every
 * chunk carries the message's id. One per stream, fed by one thread at a time.
 */
final class AnthropicStream implements SseListener {
  private final ChunkSink sink;
  private final Route route;
  private final boolean chat;
  private final boolean jsonTool;
  private final long created;
  private final Map<Integer, Integer> toolCallByBlock = new HashMap<>();
  private final Set<Integer> jsonBlocks = new HashSet<>();
  /** Anthropic's counts so far: message_delta repeats them, and each one present replaces the last. */
  private final ObjectNode usage = Json.MAPPER.createObjectNode();
  private AnthropicChunks chunks;
  private String id;
  private String model;
  private boolean finished;
  private boolean done;

  AnthropicStream(ChunkSink sink, Route route, Endpoint endpoint, boolean jsonTool, long created) {
    this.sink = sink;
    this.route = route;
    this.chat = endpoint == Endpoint.CHAT;
    this.jsonTool = jsonTool;
    this.created = created;
    this.model = route.upstreamModel();
  }

  @Override
  public void onOpen() {
    sink.onOpen();
  }

  @Override
  public boolean onPause(Runnable more) {
    return done || sink.onPause(more);
  }

  @Override
  public void onEvent(String name, byte[] data) {
    if (done) {
      return;
    }
    JsonNode event;
    try {
      event = Json.tree(data);
    } catch (IOException e) {
      fail(GatewayException.of(ErrorType.UPSTREAM_ERROR, "upstream " + route.provider() + " sent an unreadable event"));
      return;
    }
    switch (event.path("type").asText(name == null ? "" : name)) {
      case "message_start" -> start(event.path("message"));
      case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
      case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
      case "message_delta" -> messageDelta(event);
      case "message_stop" -> complete();
      case "error" -> fail(AnthropicWire.streamError(event, route));
      default -> { } // ping, content_block_stop and event types added later carry nothing to pass on
    }
  }

  private void start(JsonNode message) {
    id = message.path("id").asText(null);
    model = message.path("model").asText(model);
    usage(message.path("usage"));
    begin();
  }

  /** The chunks' envelope, fixed by message_start, or made up when it was missing. */
  private void begin() {
    if (chunks == null) {
      chunks = new AnthropicChunks(id != null ? id : Ids.random(chat ? "chatcmpl-" : "cmpl-"), model, created, chat);
    }
  }

  private void blockStart(int index, JsonNode block) {
    begin();
    switch (block.path("type").asText()) {
      case "text" -> text(block.path("text").asText(""));
      case "thinking" -> reasoning(block.path("thinking").asText(""));
      case "tool_use" -> {
        if (jsonTool && AnthropicWire.JSON_TOOL.equals(block.path("name").asText())) {
          jsonBlocks.add(index);
        } else if (chat) {
          int call = toolCallByBlock.size();
          toolCallByBlock.put(index, call);
          ObjectNode delta = delta();
          ObjectNode tc = delta.putArray("tool_calls").addObject().put("index", call)
              .put("id", block.path("id").asText()).put("type", "function");
          tc.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
          emit(delta, null);
        }
      }
      default -> { } // redacted thinking and server tool blocks have no OpenAI form
    }
  }

  private void blockDelta(int index, JsonNode delta) {
    begin();
    switch (delta.path("type").asText()) {
      case "text_delta" -> text(delta.path("text").asText(""));
      case "thinking_delta" -> reasoning(delta.path("thinking").asText(""));
      case "input_json_delta" -> {
        String partial = delta.path("partial_json").asText("");
        if (jsonBlocks.contains(index)) {
          text(partial);
        } else if (toolCallByBlock.containsKey(index) && !partial.isEmpty()) {
          ObjectNode d = delta();
          d.putArray("tool_calls").addObject().put("index", toolCallByBlock.get(index))
              .putObject("function").put("arguments", partial);
          emit(d, null);
        }
      }
      default -> { } // signature_delta and citations_delta have no OpenAI form
    }
  }

  private void text(String text) {
    if (text.isEmpty()) {
      return;
    }
    if (chat) {
      emit(delta().put("content", text), null);
    } else {
      sink.onChunk(chunks.text(text, null));
    }
  }

  private void reasoning(String text) {
    if (chat && !text.isEmpty()) {
      emit(delta().put("reasoning_content", text), null);
    }
  }

  private void messageDelta(JsonNode event) {
    begin();
    usage(event.path("usage"));
    String stopReason = event.path("delta").path("stop_reason").asText(null);
    if (stopReason != null && !finished) {
      finish(stopReason);
    }
  }

  private void finish(String stopReason) {
    finished = true;
    String reason = AnthropicWire.finishReason(stopReason, jsonTool);
    if (chat) {
      emit(delta(), reason);
    } else {
      sink.onChunk(chunks.text("", reason.equals("tool_calls") ? "stop" : reason));
    }
  }

  private void usage(JsonNode counts) {
    if (counts.isObject()) {
      usage.setAll((ObjectNode) counts);
    }
  }

  private void complete() {
    begin();
    if (!finished) {
      finish(null);
    }
    sink.onChunk(chunks.usage(AnthropicWire.usage(usage)));
    done = true;
    sink.onComplete();
  }

  private void fail(GatewayException error) {
    done = true;
    sink.onError(error);
  }

  @Override
  public void onError(RuntimeException error) {
    if (!done) {
      fail(UpstreamErrors.map(error, route));
    }
  }

  @Override
  public void onClose() {
    if (done) {
      return;
    }
    if (finished) {
      complete(); // message_stop is missing but the answer was whole
    } else {
      fail(GatewayException.of(ErrorType.UPSTREAM_ERROR,
          "upstream " + route.provider() + " ended the stream before the answer was complete"));
    }
  }

  private static ObjectNode delta() {
    return AnthropicChunks.delta();
  }

  private void emit(ObjectNode delta, String finishReason) {
    chunks.deltas(delta, finishReason).forEach(sink::onChunk);
  }
}
