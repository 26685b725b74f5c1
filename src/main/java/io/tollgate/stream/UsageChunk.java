package io.tollgate.stream;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.openai.Usage;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The usage chunk as a client that asked for usage gets it: the upstream's own with the request's cost added
 * ({@code usage.cost_usd}, a plain decimal), or, when the upstream sent none, one the gateway writes with its
 * counted usage, in the envelope (id, object, created, model) of the stream's first chunk.
 */
final class UsageChunk {
  private static final ObjectWriter PLAIN_NUMBERS = Json.MAPPER.writer()
      .with(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN);

  private UsageChunk() {
  }

  /** The upstream's chunk with the cost put into its usage object; as it came if it cannot be read. */
  static byte[] withCost(byte[] chunk, BigDecimal cost) {
    try {
      JsonNode root = Json.tree(chunk);
      if (root != null && root.path("usage").isObject()) {
        ((ObjectNode) root.get("usage")).put("cost_usd", cost);
        return PLAIN_NUMBERS.writeValueAsBytes(root);
      }
    } catch (IOException unreadable) {
      // handed on as it came
    }
    return chunk;
  }

  /** A usage-only chunk for a stream whose upstream reported no usage. */
  static byte[] counted(byte[] firstChunk, Usage usage, BigDecimal cost) {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    JsonNode first = envelope(firstChunk);
    for (String field : new String[] {"id", "object", "created", "model"}) {
      if (first.has(field)) {
        chunk.set(field, first.get(field));
      }
    }
    chunk.putArray("choices");
    int prompt = usage.promptTokens() == null ? 0 : usage.promptTokens();
    int completion = usage.completionTokens() == null ? 0 : usage.completionTokens();
    ObjectNode counts = chunk.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    if (cost != null) {
      counts.put("cost_usd", cost);
    }
    try {
      return PLAIN_NUMBERS.writeValueAsBytes(chunk);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode envelope(byte[] firstChunk) {
    try {
      JsonNode root = firstChunk == null ? null : Json.tree(firstChunk);
      return root == null ? Json.MAPPER.createObjectNode() : root;
    } catch (IOException unreadable) {
      return Json.MAPPER.createObjectNode();
    }
  }
}
