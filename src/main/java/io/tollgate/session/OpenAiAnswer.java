package io.tollgate.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.util.Map;
import java.util.TreeMap;

/** The first choice of an OpenAI chat answer: its content and tool calls, whole or from a stream's deltas. */
final class OpenAiAnswer implements AnswerCollector {
  private final StringBuilder content = new StringBuilder();
  private final Map<Integer, ObjectNode> calls = new TreeMap<>();
  private final Map<Integer, StringBuilder> arguments = new TreeMap<>();
  private boolean failed;

  @Override
  public void event(String name, byte[] json) {
    JsonNode chunk = AnswerCollector.tree(json);
    if (chunk.has("error")) {
      failed = true;
      return;
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) == 0) {
        delta(choice.path("delta"));
      }
    }
  }

  private void delta(JsonNode delta) {
    if (delta.path("content").isTextual()) {
      content.append(delta.get("content").asText());
    }
    for (JsonNode call : delta.path("tool_calls")) {
      int index = call.path("index").asInt(0);
      ObjectNode kept = calls.computeIfAbsent(index, i -> {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("type", "function");
        c.putObject("function");
        return c;
      });
      if (call.path("id").isTextual()) {
        kept.put("id", call.get("id").asText());
      }
      JsonNode function = call.path("function");
      if (function.path("name").isTextual()) {
        ((ObjectNode) kept.get("function")).put("name", function.get("name").asText());
      }
      arguments.computeIfAbsent(index, i -> new StringBuilder()).append(function.path("arguments").asText(""));
    }
  }

  @Override
  public boolean failed() {
    return failed;
  }

  @Override
  public ObjectNode whole(byte[] body) {
    JsonNode message = AnswerCollector.tree(body).path("choices").path(0).path("message");
    if (!message.isObject()) {
      return null;
    }
    ObjectNode kept = assistant(message.get("content"));
    if (message.path("tool_calls").isArray() && !message.get("tool_calls").isEmpty()) {
      kept.set("tool_calls", message.get("tool_calls"));
    }
    return kept;
  }

  @Override
  public ObjectNode streamed() {
    ObjectNode kept = assistant(calls.isEmpty() || content.length() > 0
        ? Json.MAPPER.getNodeFactory().textNode(content.toString()) : null);
    if (!calls.isEmpty()) {
      calls.forEach((index, call) -> ((ObjectNode) call.get("function")).put("arguments",
          arguments.get(index).toString()));
      kept.putArray("tool_calls").addAll(calls.values());
    }
    return kept;
  }

  private static ObjectNode assistant(JsonNode content) {
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("role", "assistant");
    message.set("content", content == null ? Json.MAPPER.getNodeFactory().nullNode() : content);
    return message;
  }
}
