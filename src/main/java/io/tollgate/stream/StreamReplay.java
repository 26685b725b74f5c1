package io.tollgate.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChatDeltas;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A whole answer told as a stream, for models whose upstream is called without streaming: per choice the role (as
 * {@link ChatDeltas} says), the reasoning, content, refusal and tool calls, a finish chunk; then a usage chunk (the
 * relay keeps it only for clients that asked). Works on any provider type's answer, since every adapter answers in
 * OpenAI's format.
 */
public final class StreamReplay {
  private StreamReplay() {
  }

  /** The same request asking for a whole answer: no {@code stream}, no {@code stream_options}. */
  public static OpenAiRequest withoutStreaming(OpenAiRequest call) {
    ObjectNode body = call.body().deepCopy();
    body.remove("stream");
    body.remove("stream_options");
    return new OpenAiRequest(call.endpoint(), body, call.model(), false, false);
  }

  /** Hands the answer's chunks to the sink and completes it; an answer that cannot be read fails the sink. */
  public static void replay(Endpoint endpoint, byte[] answer, ChunkSink sink) {
    List<byte[]> chunks;
    try {
      chunks = chunks(endpoint, answer);
    } catch (IllegalArgumentException e) {
      sink.onError(GatewayException.of(ErrorType.UPSTREAM_ERROR, e.getMessage()));
      return;
    }
    sink.onOpen();
    chunks.forEach(sink::onChunk);
    sink.onComplete();
  }

  /** The chunks, without {@code [DONE]}; fails with IllegalArgumentException when the answer has no choices. */
  public static List<byte[]> chunks(Endpoint endpoint, byte[] answer) {
    JsonNode root;
    try {
      root = Json.tree(answer);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.path("choices").isArray()) {
      throw new IllegalArgumentException("the upstream's answer is not a completion, so it cannot be streamed");
    }
    boolean chat = endpoint == Endpoint.CHAT;
    ObjectNode envelope = envelope(root, chat);
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode choice : root.path("choices")) {
      if (chat) {
        chatChoice(envelope, choice, out);
      } else {
        out.add(chunk(envelope, choiceOf(choice, "text", choice.path("text").asText(""))));
      }
    }
    if (root.path("usage").isObject()) {
      ObjectNode usage = chunk(envelope, null);
      usage.set("usage", root.get("usage"));
      out.add(usage);
    }
    return out.stream().map(Json::bytes).toList();
  }

  private static void chatChoice(ObjectNode envelope, JsonNode choice, List<ObjectNode> out) {
    JsonNode message = choice.path("message");
    int index = choice.path("index").asInt(0);
    int first = out.size();
    text(message, "reasoning_content").ifPresent(t ->
        out.add(delta(envelope, index, Json.MAPPER.createObjectNode().put("reasoning_content", t))));
    String content = content(message.path("content"));
    if (!content.isEmpty()) {
      ObjectNode chunk = delta(envelope, index, Json.MAPPER.createObjectNode().put("content", content));
      if (choice.path("logprobs").isObject()) {
        ((ObjectNode) chunk.path("choices").get(0)).set("logprobs", choice.get("logprobs"));
      }
      out.add(chunk);
    }
    text(message, "refusal").ifPresent(t ->
        out.add(delta(envelope, index, Json.MAPPER.createObjectNode().put("refusal", t))));
    if (message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty()) {
      out.add(delta(envelope, index, toolCalls(message.path("tool_calls"))));
    }
    if (message.path("function_call").isObject()) {
      ObjectNode d = Json.MAPPER.createObjectNode();
      d.set("function_call", message.get("function_call"));
      out.add(delta(envelope, index, d));
    }
    String finish = choice.path("finish_reason").asText("stop");
    ObjectNode last = delta(envelope, index, Json.MAPPER.createObjectNode());
    ((ObjectNode) last.path("choices").get(0)).put("finish_reason", finish);
    out.add(last);
    ObjectNode opening = (ObjectNode) out.get(first).path("choices").get(0);
    if (ChatDeltas.startsWithText(opening.get("delta"))) {
      out.add(first, delta(envelope, index, ChatDeltas.textRole()));
    } else {
      opening.set("delta", ChatDeltas.withRole((ObjectNode) opening.get("delta")));
    }
  }

  private static ObjectNode toolCalls(JsonNode calls) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    ArrayNode list = d.putArray("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      ObjectNode c = list.addObject().put("index", i);
      c.put("id", call.path("id").asText(Ids.random("call_")));
      c.put("type", call.path("type").asText("function"));
      c.putObject("function").put("name", call.at("/function/name").asText(""))
          .put("arguments", call.at("/function/arguments").asText(""));
    }
    return d;
  }

  private static ObjectNode delta(ObjectNode envelope, int index, ObjectNode delta) {
    ObjectNode choice = Json.MAPPER.createObjectNode().put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return chunk(envelope, choice);
  }

  private static ObjectNode choiceOf(JsonNode choice, String field, String value) {
    ObjectNode c = Json.MAPPER.createObjectNode().put("index", choice.path("index").asInt(0)).put(field, value);
    c.putNull("logprobs");
    c.put("finish_reason", choice.path("finish_reason").asText("stop"));
    return c;
  }

  /** What every chunk shares with the answer: id, created, model, system fingerprint. */
  private static ObjectNode envelope(JsonNode root, boolean chat) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("id", root.path("id").asText(Ids.random(chat ? "chatcmpl-" : "cmpl-")));
    c.put("object", chat ? "chat.completion.chunk" : "text_completion");
    c.put("created", root.path("created").asLong(System.currentTimeMillis() / 1000));
    c.put("model", root.path("model").asText(""));
    if (root.path("system_fingerprint").isTextual()) {
      c.put("system_fingerprint", root.path("system_fingerprint").asText());
    }
    return c;
  }

  /** One chunk with one choice, or with none (the usage chunk). */
  private static ObjectNode chunk(ObjectNode envelope, ObjectNode choice) {
    ObjectNode c = envelope.deepCopy();
    ArrayNode choices = c.putArray("choices");
    if (choice != null) {
      choices.add(choice);
    }
    return c;
  }

  private static Optional<String> text(JsonNode message, String field) {
    JsonNode v = message.path(field);
    return v.isTextual() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
  }

  /** A message's content as text: a string, or the text parts of an array. */
  private static String content(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    content.forEach(part -> text.append(part.path("text").asText("")));
    return text.toString();
  }
}
