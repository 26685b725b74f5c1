package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI chat messages as Anthropic's top-level {@code system} and its alternating user/assistant turns: system and
 * developer messages move to {@code system}, tool results become {@code tool_result} blocks in a user turn, and
 * consecutive turns of one role are merged.
 */
final class AnthropicMessages {
  private AnthropicMessages() {
  }

  /** Puts {@code system} (when there is one) and {@code messages} into the Anthropic request. */
  static void into(ObjectNode out, JsonNode messages) {
    ArrayNode system = Json.MAPPER.createArrayNode();
    ArrayNode turns = Json.MAPPER.createArrayNode();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String at = "messages[" + i + "]";
      switch (m.path("role").asText()) {
        case "system", "developer" -> system.addAll(parts(m.get("content"), at, false));
        case "assistant" -> turn(turns, "assistant", assistant(m, at));
        case "tool" -> turn(turns, "user", List.of(toolResult(m, at)));
        default -> turn(turns, "user", parts(m.get("content"), at, true));
      }
    }
    if (!system.isEmpty()) {
      out.set("system", collapse(system));
    }
    turns.forEach(t -> ((ObjectNode) t).set("content", collapse((ArrayNode) t.get("content"))));
    out.set("messages", turns);
  }

  private static void turn(ArrayNode turns, String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return; // Anthropic refuses empty turns; an empty message carries nothing anyway
    }
    JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && role.equals(last.path("role").asText())) {
      ((ArrayNode) last.get("content")).addAll(blocks);
    } else {
      ObjectNode t = turns.addObject().put("role", role);
      t.putArray("content").addAll(blocks);
    }
  }

  /** One plain text block reads better as a string, which is what most Anthropic clients send. */
  private static JsonNode collapse(ArrayNode blocks) {
    if (blocks.size() == 1 && blocks.get(0).size() == 2 && "text".equals(blocks.get(0).path("type").asText())) {
      return blocks.get(0).get("text");
    }
    return blocks;
  }

  private static List<ObjectNode> assistant(JsonNode m, String at) {
    List<ObjectNode> blocks = parts(m.get("content"), at, false);
    JsonNode calls = m.path("tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      JsonNode call = calls.get(j);
      ObjectNode use = Json.MAPPER.createObjectNode().put("type", "tool_use")
          .put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText());
      use.set("input", arguments(call.path("function").path("arguments").asText(""),
          at + ".tool_calls[" + j + "].function.arguments"));
      blocks.add(use);
    }
    return blocks;
  }

  private static JsonNode arguments(String json, String at) {
    if (json.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode input = Json.MAPPER.readTree(json);
      if (input != null && input.isObject()) {
        return input;
      }
    } catch (IOException notJson) {
      // reported below
    }
    throw invalid(at + " must be a JSON object", at);
  }

  private static ObjectNode toolResult(JsonNode m, String at) {
    ObjectNode result = Json.MAPPER.createObjectNode().put("type", "tool_result")
        .put("tool_use_id", m.path("tool_call_id").asText());
    JsonNode content = m.get("content");
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      result.set("content", content);
    } else if (content != null && content.isArray()) {
      List<ObjectNode> blocks = parts(content, at, true);
      if (!blocks.isEmpty()) {
        result.putArray("content").addAll(blocks);
      }
    }
    return result;
  }

  /** A string or an array of content parts as Anthropic blocks; media only where {@code media} allows it. */
  private static List<ObjectNode> parts(JsonNode content, String at, boolean media) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      addText(blocks, content.asText(), null);
      return blocks;
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String where = at + ".content[" + i + "]";
      String type = part.path("type").asText();
      switch (type) {
        case "text" -> addText(blocks, part.path("text").asText(""), part.get("cache_control"));
        case "refusal" -> { } // the assistant's own refusal, nothing the model needs to be told again
        case "image_url", "file" -> {
          if (!media) {
            throw invalid(where + ": a " + type + " part is only allowed in user and tool messages", where);
          }
          blocks.add(type.equals("file") ? document(part.path("file"), where) : image(part.get("image_url"), where));
        }
        default -> throw invalid(where + ": content parts of type '" + type
            + "' are not supported by provider type anthropic", where);
      }
    }
    return blocks;
  }

  private static void addText(List<ObjectNode> blocks, String text, JsonNode cacheControl) {
    if (text.isEmpty()) {
      return; // Anthropic rejects empty text blocks
    }
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", "text").put("text", text);
    if (cacheControl != null && cacheControl.isObject()) {
      block.set("cache_control", cacheControl);
    }
    blocks.add(block);
  }

  private static ObjectNode image(JsonNode imageUrl, String at) {
    String url = imageUrl == null ? "" : imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", "image");
    if (url.startsWith("data:")) {
      block.set("source", base64(url, at + ".image_url.url"));
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      block.putObject("source").put("type", "url").put("url", url);
    } else {
      throw invalid(at + ".image_url.url must be an http(s) or data: URL", at + ".image_url.url");
    }
    return block;
  }

  private static ObjectNode document(JsonNode file, String at) {
    String data = file.path("file_data").asText("");
    if (!data.startsWith("data:")) {
      throw invalid(at + ": provider type anthropic takes files as file_data (a base64 data: URL), not file_id",
          at + ".file");
    }
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", "document");
    block.set("source", base64(data, at + ".file.file_data"));
    return block;
  }

  /** {@code data:image/png;base64,AAAA} as {@code {type: base64, media_type: image/png, data: AAAA}}. */
  private static ObjectNode base64(String dataUrl, String at) {
    int comma = dataUrl.indexOf(',');
    String meta = comma < 0 ? "" : dataUrl.substring(5, comma);
    if (!meta.endsWith(";base64") || meta.length() == ";base64".length()) {
      throw invalid(at + " must be a base64 data: URL with a media type", at);
    }
    return Json.MAPPER.createObjectNode().put("type", "base64")
        .put("media_type", meta.substring(0, meta.length() - ";base64".length()))
        .put("data", dataUrl.substring(comma + 1));
  }

  static GatewayException invalid(String message, String param) {
    return GatewayException.param(ErrorType.INVALID_REQUEST, message, param);
  }
}
