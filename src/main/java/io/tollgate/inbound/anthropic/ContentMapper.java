package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;

/**
 * Anthropic's {@code system} and turns of content blocks as OpenAI messages. An assistant turn's text and
 * {@code tool_use} blocks become one message with tool calls; a user turn's {@code tool_result} blocks become tool
 * messages, which OpenAI wants right after the calls they answer, so the turn's other blocks, and any images a
 * result held (tool messages take text only), follow them as one user message. Text-only content is sent as a
 * string, which every OpenAI-compatible server takes. Thinking blocks, signatures and {@code cache_control} are
 * Anthropic's own and are left out.
 */
final class ContentMapper {
  private ContentMapper() {
  }

  static ArrayNode messages(JsonNode system, JsonNode turns) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    String instructions = system == null ? "" : system.isTextual() ? system.asText() : text(system);
    if (!instructions.isEmpty()) {
      out.addObject().put("role", "system").put("content", instructions);
    }
    for (JsonNode turn : turns) {
      JsonNode content = turn.get("content");
      if ("assistant".equals(turn.path("role").asText())) {
        assistant(content, out);
      } else {
        user(content, out);
      }
    }
    return out;
  }

  private static void assistant(JsonNode content, ArrayNode out) {
    if (content.isTextual()) {
      out.addObject().put("role", "assistant").put("content", content.asText());
      return;
    }
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode block : content) {
      switch (block.path("type").asText()) {
        case "text" -> append(text, block.path("text").asText(""));
        case "tool_use" -> {
          ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
          JsonNode input = block.path("input");
          call.putObject("function").put("name", block.path("name").asText())
              .put("arguments", Json.string(input.isObject() ? input : Json.MAPPER.createObjectNode()));
        }
        default -> { } // thinking, redacted_thinking and server tool blocks
      }
    }
    if (text.isEmpty() && calls.isEmpty()) {
      return; // a turn that only thought says nothing an OpenAI model can read
    }
    ObjectNode m = out.addObject().put("role", "assistant");
    if (text.isEmpty()) {
      m.putNull("content");
    } else {
      m.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      m.set("tool_calls", calls);
    }
  }

  private static void user(JsonNode content, ArrayNode out) {
    if (content.isTextual()) {
      out.addObject().put("role", "user").put("content", content.asText());
      return;
    }
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (JsonNode block : content) {
      if ("tool_result".equals(block.path("type").asText())) {
        toolResult(block, out, parts);
      } else {
        part(block, parts);
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    boolean textOnly = true;
    for (JsonNode p : parts) {
      textOnly &= "text".equals(p.path("type").asText());
    }
    ObjectNode m = out.addObject().put("role", "user");
    if (textOnly) {
      m.put("content", text(parts));
    } else {
      m.set("content", parts);
    }
  }

  private static void toolResult(JsonNode block, ArrayNode out, ArrayNode followingParts) {
    JsonNode content = block.path("content");
    String text;
    if (content.isTextual()) {
      text = content.asText();
    } else {
      text = text(content);
      for (JsonNode inner : content) {
        if (!"text".equals(inner.path("type").asText())) {
          part(inner, followingParts);
        }
      }
    }
    out.addObject().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText())
        .put("content", text);
  }

  /** One user block as an OpenAI content part, when it has one. */
  private static void part(JsonNode block, ArrayNode parts) {
    JsonNode source = block.path("source");
    switch (block.path("type").asText()) {
      case "text" -> {
        String text = block.path("text").asText("");
        if (!text.isEmpty()) {
          parts.addObject().put("type", "text").put("text", text);
        }
      }
      case "image" -> {
        String url = switch (source.path("type").asText()) {
          case "base64" -> dataUrl(source);
          case "url" -> source.path("url").asText();
          default -> null; // a Files API id means nothing to another provider
        };
        if (url != null) {
          parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
        }
      }
      case "document" -> document(block, source, parts);
      default -> { } // search results, container uploads, server tool blocks
    }
  }

  private static void document(JsonNode block, JsonNode source, ArrayNode parts) {
    switch (source.path("type").asText()) {
      case "base64" -> {
        ObjectNode file = parts.addObject().put("type", "file").putObject("file");
        file.put("filename", block.path("title").asText("document.pdf"));
        file.put("file_data", dataUrl(source));
      }
      case "text" -> parts.addObject().put("type", "text").put("text", source.path("data").asText(""));
      case "content" -> {
        String text = source.path("content").isTextual() ? source.get("content").asText()
            : text(source.path("content"));
        parts.addObject().put("type", "text").put("text", text);
      }
      default -> { } // a URL or file id: nothing to send inline
    }
  }

  private static String dataUrl(JsonNode source) {
    return "data:" + source.path("media_type").asText("application/octet-stream") + ";base64,"
        + source.path("data").asText("");
  }

  /** The text blocks of a list, joined by line breaks. */
  private static String text(JsonNode blocks) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode b : blocks) {
      if ("text".equals(b.path("type").asText())) {
        append(sb, b.path("text").asText(""));
      }
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, String text) {
    if (!text.isEmpty()) {
      sb.append(sb.isEmpty() ? "" : "\n").append(text);
    }
  }
}
