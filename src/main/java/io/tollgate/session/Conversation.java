package io.tollgate.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import io.tollgate.openai.Json;
import io.tollgate.usage.TokenCounter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pure functions on a session's history (without its system message): merging a client's turn in, and trimming. */
final class Conversation {
  /** Framing tokens counted per message, as usage/PromptTokens counts them. */
  private static final int PER_MESSAGE = 3;
  private static final Set<String> NOT_TEXT = Set.of("type", "id", "tool_use_id", "tool_call_id", "cache_control");

  private Conversation() {
  }

  /** What the upstream gets, and the client's messages this turn adds to the session. */
  record Merged(ArrayNode sent, List<JsonNode> added) {
  }

  /** History after trimming, with its size. */
  record Kept(ArrayNode messages, int turns, int tokens) {
  }

  /**
   * A client that sent the stored history again (its messages begin with it) is taken as it is; otherwise the
   * stored history goes before its messages.
   */
  static Merged merge(ArrayNode stored, ArrayNode client) {
    boolean resent = client.size() >= stored.size();
    for (int i = 0; resent && i < stored.size(); i++) {
      resent = same(stored.get(i), client.get(i));
    }
    List<JsonNode> added = new ArrayList<>();
    client.forEach(m -> added.add(m.deepCopy()));
    if (resent) {
      return new Merged(client, added.subList(stored.size(), added.size()));
    }
    ArrayNode sent = stored.deepCopy();
    sent.addAll(client);
    return new Merged(sent, added);
  }

  /** Equal but for null or empty fields an SDK adds, and a string content written as one text part. */
  static boolean same(JsonNode a, JsonNode b) {
    return normal(a).equals(normal(b));
  }

  private static JsonNode normal(JsonNode message) {
    if (!message.isObject()) {
      return message;
    }
    ObjectNode copy = ((ObjectNode) message).deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = copy.fields();
    while (fields.hasNext()) {
      JsonNode v = fields.next().getValue();
      if (v.isNull() || (v.isContainerNode() && v.isEmpty())) {
        fields.remove();
      }
    }
    JsonNode content = copy.get("content");
    if (content != null && content.isTextual()) {
      copy.putArray("content").addObject().put("type", "text").put("text", content.asText());
    }
    return copy;
  }

  /** Drops whole turns, oldest first, until at most {@code maxTurns} turns and {@code maxTokens} tokens are left. */
  static Kept trim(ArrayNode history, Dialect dialect, int maxTurns, int maxTokens, Encoding encoding) {
    List<JsonNode> messages = new ArrayList<>();
    history.forEach(messages::add);
    int[] tokens = messages.stream().mapToInt(m -> tokens(encoding, m)).toArray();
    int from = 0;
    int total = java.util.Arrays.stream(tokens).sum();
    int turns = (int) messages.stream().filter(dialect::startsTurn).count();
    while (from < messages.size() && (turns > maxTurns || total > maxTokens)) {
      int next = from;
      do {
        total -= tokens[next];
        next++;
      } while (next < messages.size() && !dialect.startsTurn(messages.get(next)));
      turns -= dialect.startsTurn(messages.get(from)) ? 1 : 0;
      from = next;
    }
    ArrayNode kept = Json.MAPPER.createArrayNode();
    kept.addAll(messages.subList(from, messages.size()));
    return new Kept(kept, turns, total);
  }

  /** A message's tokens: framing, plus every text value in it but ids and types (tool inputs included). */
  static int tokens(Encoding encoding, JsonNode message) {
    StringBuilder text = new StringBuilder();
    collect(message, text);
    return PER_MESSAGE + TokenCounter.count(encoding, text);
  }

  private static void collect(JsonNode node, StringBuilder text) {
    if (node.isValueNode()) {
      text.append(node.asText(""));
      return;
    }
    if (node.isArray()) {
      node.forEach(n -> collect(n, text));
      return;
    }
    node.fields().forEachRemaining(f -> {
      if (!NOT_TEXT.contains(f.getKey())) {
        collect(f.getValue(), text);
      }
    });
  }
}
