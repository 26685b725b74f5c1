package io.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * How a translated chat stream opens each choice, the way OpenAI's own streams do: a role chunk
 * {@code {"role":"assistant","content":""}} before text, and the role on the first delta beside
 * {@code "content":null} when the answer starts with anything else, a tool call above all
 * ({@code {"role":"assistant","content":null,"tool_calls":[...]}}). The Vercel AI SDK turns a {@code ""} into an
 * empty text part, which an answer that only calls tools must not have.
 */
public final class ChatDeltas {
  private ChatDeltas() {
  }

  /** The deltas to send in place of a choice's first delta. */
  public static List<ObjectNode> opening(ObjectNode first) {
    return startsWithText(first) ? List.of(textRole(), first) : List.of(withRole(first));
  }

  /** Whether the first delta is text (or nothing), which gets a role chunk of its own. */
  public static boolean startsWithText(JsonNode first) {
    return first.isEmpty() || first.path("content").isTextual();
  }

  /** {@code {"role":"assistant","content":""}}. */
  public static ObjectNode textRole() {
    return Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
  }

  /** The delta with the role and {@code "content":null} in front. */
  public static ObjectNode withRole(ObjectNode first) {
    ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").putNull("content");
    first.properties().forEach(e -> {
      if (!e.getKey().equals("role") && !e.getKey().equals("content")) {
        delta.set(e.getKey(), e.getValue());
      }
    });
    return delta;
  }
}
