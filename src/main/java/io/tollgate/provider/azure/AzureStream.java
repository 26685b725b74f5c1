package io.tollgate.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import java.util.Iterator;

/**
 * Azure's stream made plain OpenAI: its content-filter annotations are dropped (the first chunk with empty
 * {@code choices} and the prompt's filter results; with the asynchronous filter, choices that carry only filter
 * results and no {@code delta}), and every chunk the client gets carries the stream's one id, created and model,
 * since Azure leaves them blank on annotations. The usage-only chunk at the end is kept.
 */
final class AzureStream implements ChunkSink {
  private final ChunkSink sink;
  private final boolean chat;
  private String id;
  private long created;
  private String model;

  AzureStream(ChunkSink sink, boolean chat) {
    this.sink = sink;
    this.chat = chat;
  }

  @Override
  public void onOpen() {
    sink.onOpen();
  }

  @Override
  public boolean onPause(Runnable more) {
    return sink.onPause(more);
  }

  @Override
  public void onChunk(byte[] json) {
    JsonNode tree;
    try {
      tree = Json.tree(json);
    } catch (Exception notJson) {
      sink.onChunk(json); // not ours to judge: it goes on as the upstream sent it
      return;
    }
    if (!(tree instanceof ObjectNode chunk) || chunk.has("error")) {
      sink.onChunk(json); // an error event goes on as it is: the relay logs it and the client learns of it
      return;
    }
    boolean changed = chat && dropAnnotations(chunk.path("choices"));
    boolean hasUsage = chunk.path("usage").isObject();
    if (chunk.path("choices").isEmpty() && !hasUsage) {
      return;
    }
    changed |= sameEnvelope(chunk);
    sink.onChunk(changed ? Json.bytes(chunk) : json);
  }

  /** Removes choices with neither delta nor finish_reason; gives a finishing choice without delta an empty one. */
  private static boolean dropAnnotations(JsonNode choices) {
    if (!(choices instanceof ArrayNode list)) {
      return false;
    }
    boolean changed = false;
    for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
      JsonNode choice = it.next();
      if (choice instanceof ObjectNode c && !c.has("delta")) {
        if (c.path("finish_reason").isTextual()) {
          c.putObject("delta");
        } else {
          it.remove();
        }
        changed = true;
      }
    }
    return changed;
  }

  private boolean sameEnvelope(ObjectNode chunk) {
    boolean changed = false;
    if (id == null) {
      String own = chunk.path("id").asText("");
      id = own.isEmpty() ? Ids.random(chat ? "chatcmpl-" : "cmpl-") : own;
    }
    if (!id.equals(chunk.path("id").asText(null))) {
      chunk.put("id", id);
      changed = true;
    }
    long own = chunk.path("created").asLong(0);
    if (created == 0) {
      created = own > 0 ? own : System.currentTimeMillis() / 1000;
    }
    if (own != created) {
      chunk.put("created", created);
      changed = true;
    }
    String ownModel = chunk.path("model").asText("");
    if (model == null && !ownModel.isEmpty()) {
      model = ownModel;
    }
    if (ownModel.isEmpty() && model != null) {
      chunk.put("model", model);
      changed = true;
    }
    String object = chat ? "chat.completion.chunk" : "text_completion";
    if (!object.equals(chunk.path("object").asText(null))) {
      chunk.put("object", object);
      changed = true;
    }
    return changed;
  }

  @Override
  public void onError(GatewayException error) {
    sink.onError(error);
  }

  @Override
  public void onComplete() {
    sink.onComplete();
  }
}
