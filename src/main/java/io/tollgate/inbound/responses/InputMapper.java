package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;

/**
 * A Responses request's {@code instructions} and {@code input} as chat messages: instructions and system or
 * developer items as system messages, input parts as content parts, {@code function_call} items as the tool calls
 * of one assistant message (consecutive calls share it), {@code function_call_output} items as tool messages.
 * Reasoning items are dropped: a chat model takes no reasoning back. Pure functions over checked input.
 */
final class InputMapper {
  private InputMapper() {
  }

  static ArrayNode messages(JsonNode instructions, JsonNode input) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    if (instructions != null && instructions.isTextual() && !instructions.asText().isEmpty()) {
      out.addObject().put("role", "system").put("content", instructions.asText());
    }
    if (input.isTextual()) {
      out.addObject().put("role", "user").put("content", input.asText());
      return out;
    }
    ObjectNode calling = null; // the assistant message the last function_call items went into
    for (JsonNode item : input) {
      String type = item.path("type").asText("message");
      if (type.equals("function_call")) {
        calling = calling != null ? calling : assistant(out);
        ArrayNode calls = calling.has("tool_calls") ? (ArrayNode) calling.get("tool_calls")
            : calling.putArray("tool_calls");
        calls.addObject().put("id", item.get("call_id").asText()).put("type", "function").putObject("function")
            .put("name", item.get("name").asText()).put("arguments", item.get("arguments").asText());
        continue;
      }
      calling = null;
      if (type.equals("function_call_output")) {
        out.addObject().put("role", "tool").put("tool_call_id", item.get("call_id").asText())
            .put("content", text(item.get("output")));
      } else if (type.equals("message")) {
        message(item, out);
      }
    }
    return out;
  }

  /** The assistant message just written (text before its calls), or a new one with no text. */
  private static ObjectNode assistant(ArrayNode out) {
    JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
    if (last != null && "assistant".equals(last.path("role").asText()) && !last.has("tool_calls")) {
      return (ObjectNode) last;
    }
    return out.addObject().put("role", "assistant").putNull("content");
  }

  private static void message(JsonNode item, ArrayNode out) {
    String role = item.get("role").asText();
    String chatRole = role.equals("developer") ? "system" : role;
    JsonNode content = item.get("content");
    if (content.isTextual() || !chatRole.equals("user")) {
      // System and assistant messages take text only: their parts are joined.
      out.addObject().put("role", chatRole).put("content", text(content));
      return;
    }
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (JsonNode part : content) {
      switch (part.get("type").asText()) {
        case "input_text", "output_text" -> parts.addObject().put("type", "text").put("text",
            part.get("text").asText());
        case "input_image" -> {
          ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url")
              .put("url", part.get("image_url").asText());
          if (part.path("detail").isTextual()) {
            image.put("detail", part.get("detail").asText());
          }
        }
        case "input_file" -> file(part, parts);
        default -> { } // a refusal in a user turn means nothing to a chat model
      }
    }
    out.addObject().put("role", "user").set("content", parts);
  }

  private static void file(JsonNode part, ArrayNode parts) {
    if (!part.path("file_data").isTextual()) {
      return; // a file_id or file_url names a file the chat upstream cannot see
    }
    ObjectNode file = parts.addObject().put("type", "file").putObject("file")
        .put("file_data", part.get("file_data").asText());
    if (part.path("filename").isTextual()) {
      file.put("filename", part.get("filename").asText());
    }
  }

  /** A string, or the text of a list of parts, joined by line breaks. */
  static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("text").isTextual()) {
        text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asText());
      } else if (part.path("refusal").isTextual()) {
        text.append(text.isEmpty() ? "" : "\n").append(part.get("refusal").asText());
      }
    }
    return text.toString();
  }
}
