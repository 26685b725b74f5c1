package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.ChatDeltas;
import io.tollgate.openai.Json;
import java.util.List;

/**
 * Builds the OpenAI chunks of one translated stream, all with the same id, created time and model: chat
 * ({@code chat.completion.chunk} with a delta) or legacy completions ({@code text_completion} with text).
 */
final class AnthropicChunks {
  private final String id;
  private final String model;
  private final long created;
  private final boolean chat;
  private boolean roleSent;

  AnthropicChunks(String id, String model, long created, boolean chat) {
    this.id = id;
    this.model = model;
    this.created = created;
    this.chat = chat;
  }

  boolean chat() {
    return chat;
  }

  static ObjectNode delta() {
    return Json.MAPPER.createObjectNode();
  }

  /** A chat delta's chunks: the first delta of the stream names the role, as {@link ChatDeltas} says. */
  List<byte[]> deltas(ObjectNode delta, String finishReason) {
    if (roleSent) {
      return List.of(delta(delta, finishReason));
    }
    roleSent = true;
    List<ObjectNode> opening = ChatDeltas.opening(delta);
    return opening.size() == 1 ? List.of(delta(opening.get(0), finishReason))
        : List.of(delta(opening.get(0), null), delta(opening.get(1), finishReason));
  }

  private byte[] delta(ObjectNode delta, String finishReason) {
    ObjectNode chunk = head();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    return Json.bytes(chunk);
  }

  byte[] text(String text, String finishReason) {
    ObjectNode chunk = head();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0).put("text", text);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    return Json.bytes(chunk);
  }

  /** The last chunk: no choices, the whole answer's usage. */
  byte[] usage(ObjectNode usage) {
    ObjectNode chunk = head();
    chunk.putArray("choices");
    chunk.set("usage", usage);
    return Json.bytes(chunk);
  }

  private ObjectNode head() {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", id).put("object", chat ? "chat.completion.chunk" : "text_completion")
        .put("created", created).put("model", model);
    return chunk;
  }
}
