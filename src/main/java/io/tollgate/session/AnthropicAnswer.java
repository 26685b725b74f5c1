package io.tollgate.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Anthropic message's text and tool_use blocks, whole or from a stream's events. Thinking blocks are not kept:
 * they are only valid sent back with their signatures, and the next turn does not need them.
 */
final class AnthropicAnswer implements AnswerCollector {
  private final Map<Integer, ObjectNode> blocks = new TreeMap<>();
  private final Map<Integer, StringBuilder> texts = new TreeMap<>();
  private boolean failed;

  @Override
  public void event(String name, byte[] json) {
    if ("error".equals(name)) {
      failed = true;
    } else if ("content_block_start".equals(name)) {
      JsonNode event = AnswerCollector.tree(json);
      JsonNode block = event.path("content_block");
      if (kept(block)) {
        blocks.put(event.path("index").asInt(), ((ObjectNode) block).deepCopy());
        texts.put(event.path("index").asInt(), new StringBuilder(block.path("text").asText("")));
      }
    } else if ("content_block_delta".equals(name)) {
      JsonNode event = AnswerCollector.tree(json);
      StringBuilder text = texts.get(event.path("index").asInt());
      JsonNode delta = event.path("delta");
      if (text != null) {
        text.append(delta.path("text").asText("")).append(delta.path("partial_json").asText(""));
      }
    }
  }

  @Override
  public boolean failed() {
    return failed;
  }

  @Override
  public ObjectNode whole(byte[] body) {
    ArrayNode content = Json.MAPPER.createArrayNode();
    for (JsonNode block : AnswerCollector.tree(body).path("content")) {
      if (kept(block)) {
        content.add(block);
      }
    }
    return assistant(content);
  }

  @Override
  public ObjectNode streamed() {
    ArrayNode content = Json.MAPPER.createArrayNode();
    blocks.forEach((index, block) -> {
      String text = texts.get(index).toString();
      if (block.path("type").asText().equals("text")) {
        block.put("text", text);
      } else {
        block.set("input", input(text));
      }
      content.add(block);
    });
    return assistant(content);
  }

  private static boolean kept(JsonNode block) {
    String type = block.path("type").asText();
    return block.isObject() && (type.equals("text") || type.equals("tool_use"));
  }

  private static JsonNode input(String partialJson) {
    JsonNode input = partialJson.isEmpty() ? null : AnswerCollector.tree(partialJson.getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    return input != null && input.isObject() ? input : Json.MAPPER.createObjectNode();
  }

  /** Anthropic refuses an assistant message with no content: an answer without text or tools is not kept. */
  private static ObjectNode assistant(ArrayNode content) {
    if (content.isEmpty()) {
      return null;
    }
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("role", "assistant");
    message.set("content", content);
    return message;
  }
}
