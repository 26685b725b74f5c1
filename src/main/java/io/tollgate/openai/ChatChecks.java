package io.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.util.Set;

/**
 * The shape of a chat request's turns and tools, checked before anything goes upstream: an upstream that gets
 * {@code content: [5]} or {@code tools: [null]} answers with its own, vaguer 400 at best, and some forward it to
 * the model. Part and tool types the gateway does not know pass, so new OpenAI features keep working.
 */
final class ChatChecks {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatChecks() {
  }

  static void messages(JsonNode messages) {
    if (messages == null || messages.isNull()) {
      throw invalid("'messages' is a required property", "messages");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw invalid("'messages' must be a non-empty array", "messages");
    }
    atMost(messages, RequestValidator.MAX_MESSAGES, "messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String at = "messages[" + i + "]";
      if (!m.isObject()) {
        throw invalid(at + " must be an object", at);
      }
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
        throw invalid(at + ".role must be one of " + String.join(", ", ROLES.stream().sorted().toList()), at + ".role");
      }
      content(m.get("content"), at + ".content");
      objects(m.get("tool_calls"), at + ".tool_calls");
    }
  }

  static void tools(JsonNode tools) {
    objects(tools, "tools");
    atMost(tools, RequestValidator.MAX_TOOLS, "tools");
    for (int i = 0; tools != null && i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonNode type = tools.get(i).get("type");
      if (type == null || !type.isTextual()) {
        throw invalid(at + ".type must be a string such as 'function'", at + ".type");
      }
      if (type.asText().equals("function")) {
        JsonNode function = tools.get(i).get("function");
        if (function == null || !function.isObject()) {
          throw invalid(at + ".function must be an object", at + ".function");
        }
        text(function.get("name"), at + ".function.name");
      }
    }
  }

  private static void content(JsonNode content, String at) {
    if (content == null || content.isNull() || content.isTextual()) {
      return;
    }
    if (!content.isArray()) {
      throw invalid(at + " must be a string or an array of content parts", at);
    }
    for (int j = 0; j < content.size(); j++) {
      String part = at + "[" + j + "]";
      if (!content.get(j).isObject()) {
        throw invalid(part + " must be a content part object such as {\"type\":\"text\",\"text\":\"...\"}", part);
      }
      JsonNode type = content.get(j).get("type");
      if (type == null || !type.isTextual()) {
        throw invalid(part + ".type must be a string such as 'text'", part + ".type");
      }
      if (type.asText().equals("text") && !content.get(j).path("text").isTextual()) {
        throw invalid(part + ".text must be a string", part + ".text");
      }
    }
  }

  /** Absent, null, or an array of objects. */
  private static void objects(JsonNode list, String at) {
    if (list == null || list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw invalid(at + " must be an array of objects", at);
    }
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isObject()) {
        throw invalid(at + "[" + i + "] must be an object", at + "[" + i + "]");
      }
    }
  }

  static void atMost(JsonNode list, int max, String at) {
    if (list != null && list.size() > max) {
      throw invalid("'" + at + "' has " + list.size() + " items; at most " + max + " are accepted", at);
    }
  }

  private static void text(JsonNode v, String at) {
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw invalid(at + " must be a non-empty string", at);
    }
  }

  private static GatewayException invalid(String message, String param) {
    return GatewayException.param(ErrorType.INVALID_REQUEST, message, param);
  }
}
