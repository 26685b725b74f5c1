package io.tollgate.inbound.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Gemini's {@code systemInstruction} and {@code contents} as OpenAI messages. A model turn's {@code functionCall}
 * parts become tool calls; a user turn's {@code functionResponse} parts become tool messages that answer them (by
 * id when the client sent one, otherwise by name in call order), followed by the turn's other parts. Thought parts
 * are the model's own reasoning and are not sent back.
 */
final class GeminiContents {
  /** The ids of calls not answered yet, by function name. */
  private final Map<String, Deque<String>> pending = new HashMap<>();
  private final ArrayNode messages = Json.MAPPER.createArrayNode();
  private int generatedIds;

  private GeminiContents() {
  }

  static ArrayNode messages(JsonNode systemInstruction, JsonNode contents) {
    GeminiContents c = new GeminiContents();
    String system = systemInstruction.isTextual() ? systemInstruction.asText() : text(systemInstruction.path("parts"));
    if (!system.isEmpty()) {
      c.messages.addObject().put("role", "system").put("content", system);
    }
    for (int i = 0; i < contents.size(); i++) {
      JsonNode turn = contents.get(i);
      if (!turn.isObject()) {
        throw GeminiBody.invalid("contents[" + i + "] must be an object with role and parts", "contents");
      }
      if ("model".equals(turn.path("role").asText())) {
        c.model(turn.path("parts"));
      } else {
        c.user(turn.path("parts"));
      }
    }
    if (c.messages.isEmpty() || c.messages.size() == 1 && !system.isEmpty()) {
      throw GeminiBody.invalid("'contents' must hold at least one turn with parts", "contents");
    }
    return c.messages;
  }

  private void model(JsonNode parts) {
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode part : parts) {
      JsonNode call = GeminiBody.field(part, "functionCall");
      if (call.isObject()) {
        String name = call.path("name").asText();
        String id = call.path("id").asText("");
        id = id.isEmpty() ? "call_" + (++generatedIds) : id;
        pending.computeIfAbsent(name, n -> new ArrayDeque<>()).add(id);
        ObjectNode c = calls.addObject().put("id", id).put("type", "function");
        c.putObject("function").put("name", name).put("arguments", Json.string(call.path("args").isObject()
            ? call.get("args") : Json.MAPPER.createObjectNode()));
      } else if (part.hasNonNull("text") && !part.path("thought").asBoolean(false)) {
        text.append(part.get("text").asText());
      }
    }
    if (text.isEmpty() && calls.isEmpty()) {
      return;
    }
    ObjectNode m = messages.addObject().put("role", "assistant");
    if (text.isEmpty()) {
      m.putNull("content");
    } else {
      m.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      m.set("tool_calls", calls);
    }
  }

  private void user(JsonNode parts) {
    ArrayNode content = Json.MAPPER.createArrayNode();
    for (JsonNode part : parts) {
      JsonNode response = GeminiBody.field(part, "functionResponse");
      if (response.isObject()) {
        toolMessage(response);
      } else if (part.hasNonNull("text")) {
        content.addObject().put("type", "text").put("text", part.get("text").asText());
      } else {
        media(part, content);
      }
    }
    if (content.isEmpty()) {
      return;
    }
    ObjectNode m = messages.addObject().put("role", "user");
    boolean textOnly = content.findValues("image_url").isEmpty() && content.findValues("file").isEmpty()
        && content.findValues("input_audio").isEmpty();
    if (textOnly) {
      m.put("content", text(content));
    } else {
      m.set("content", content);
    }
  }

  private void toolMessage(JsonNode response) {
    String name = response.path("name").asText();
    String id = response.path("id").asText("");
    Deque<String> waiting = pending.get(name);
    if (id.isEmpty()) {
      id = waiting != null && !waiting.isEmpty() ? waiting.poll() : "call_" + (++generatedIds);
    } else if (waiting != null) {
      waiting.remove(id);
    }
    messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", result(response.path("response")));
  }

  /** A response that only wraps text ({"content": "..."}, {"output": "..."}) is that text; others are JSON. */
  private static String result(JsonNode response) {
    if (response.size() == 1) {
      for (String key : new String[] {"content", "output", "result"}) {
        if (response.path(key).isTextual()) {
          return response.get(key).asText();
        }
      }
    }
    return response.isMissingNode() ? "" : Json.string(response);
  }

  /** Inline images and audio travel inline; an image file goes by its URI; other media have no OpenAI part. */
  private static void media(JsonNode part, ArrayNode content) {
    JsonNode inline = GeminiBody.field(part, "inlineData");
    JsonNode file = GeminiBody.field(part, "fileData");
    if (inline.isObject()) {
      String mime = GeminiBody.field(inline, "mimeType").asText("application/octet-stream");
      String data = inline.path("data").asText("");
      if (mime.startsWith("audio/")) {
        String format = mime.substring("audio/".length()).replace("mpeg", "mp3").replace("x-wav", "wav");
        content.addObject().put("type", "input_audio").putObject("input_audio").put("data", data)
            .put("format", format);
      } else if (mime.startsWith("image/")) {
        content.addObject().put("type", "image_url").putObject("image_url")
            .put("url", "data:" + mime + ";base64," + data);
      } else {
        content.addObject().put("type", "file").putObject("file")
            .put("file_data", "data:" + mime + ";base64," + data);
      }
    } else if (file.isObject()) {
      String mime = GeminiBody.field(file, "mimeType").asText("");
      if (mime.isEmpty() || mime.startsWith("image/")) {
        content.addObject().put("type", "image_url").putObject("image_url")
            .put("url", GeminiBody.field(file, "fileUri").asText());
      }
    }
  }

  /** The text parts of a list, one after another. */
  private static String text(JsonNode parts) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : parts) {
      String t = p.path("text").asText("");
      if (!t.isEmpty()) {
        sb.append(sb.isEmpty() ? "" : "\n").append(t);
      }
    }
    return sb.toString();
  }
}
