package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.RequestValidator;
import java.util.Set;

/**
 * A client's Messages (or count_tokens) body, checked before it goes anywhere, by the same rules the chat route
 * applies: a model, well-formed turns, content blocks and tools, and numbers where numbers belong. Whether a value
 * is in range is the upstream's to judge. Messages name the field the way Anthropic's API does
 * ({@code messages.0.content.1.text: ...}).
 */
record MessagesRequest(ObjectNode body, String model, boolean stream) {
  private static final Set<String> ROLES = Set.of("user", "assistant");

  static MessagesRequest parse(byte[] bytes, boolean countTokens) {
    ObjectNode body = RequestValidator.object(bytes);
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw invalid("model: Field required (a non-empty string)");
    }
    turns(body.get("messages"));
    JsonNode system = body.get("system");
    if (system != null && !(system.isNull() || system.isTextual() || system.isArray())) {
      throw invalid("system: Input should be a string or a list of text blocks");
    }
    if (system != null && system.isArray()) {
      blocks(system, "system");
    }
    numbers(body);
    tools(body.get("tools"));
    JsonNode stops = body.get("stop_sequences");
    for (int i = 0; stops != null && !stops.isNull() && i < list(stops, "stop_sequences").size(); i++) {
      if (!stops.get(i).isTextual()) {
        throw invalid("stop_sequences." + i + ": Input should be a valid string");
      }
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw invalid("stream: Input should be a valid boolean");
    }
    return new MessagesRequest(body, model.asText(), !countTokens && stream != null && stream.asBoolean(false));
  }

  private static void turns(JsonNode messages) {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw invalid("messages: Field required (a non-empty list of turns)");
    }
    atMost(messages, RequestValidator.MAX_MESSAGES, "messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode turn = messages.get(i);
      if (!turn.isObject() || !ROLES.contains(turn.path("role").asText())) {
        throw invalid("messages." + i + ".role: Input should be 'user' or 'assistant'");
      }
      JsonNode content = turn.get("content");
      if (content == null || !(content.isTextual() || content.isArray())) {
        throw invalid("messages." + i + ".content: Input should be a string or a list of content blocks");
      }
      if (content.isArray()) {
        blocks(content, "messages." + i + ".content");
      }
    }
  }

  private static void blocks(JsonNode blocks, String at) {
    for (int j = 0; j < blocks.size(); j++) {
      JsonNode block = blocks.get(j);
      if (!block.isObject()) {
        throw invalid(at + "." + j + ": Input should be a valid dictionary (a content block)");
      }
      if (!block.path("type").isTextual()) {
        throw invalid(at + "." + j + ".type: Field required");
      }
      if (block.get("type").asText().equals("text") && !block.path("text").isTextual()) {
        throw invalid(at + "." + j + ".text: Input should be a valid string");
      }
    }
  }

  private static void numbers(ObjectNode body) {
    for (String name : new String[] {"temperature", "top_p"}) {
      JsonNode v = body.get(name);
      if (v != null && !v.isNull() && !v.isNumber()) {
        throw invalid(name + ": Input should be a valid number");
      }
    }
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull() && !topK.isIntegralNumber()) {
      throw invalid("top_k: Input should be a valid integer");
    }
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens != null && !maxTokens.isNull() && (!maxTokens.isIntegralNumber()
        || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1)) {
      throw invalid("max_tokens: Input should be a whole number of at least 1");
    }
  }

  /** Custom tools need a name and an input schema; server tools (a dated type) need a name. */
  private static void tools(JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return;
    }
    atMost(list(tools, "tools"), RequestValidator.MAX_TOOLS, "tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      if (!tool.isObject()) {
        throw invalid("tools." + i + ": Input should be a valid dictionary (a tool definition)");
      }
      if (!tool.path("name").isTextual() || tool.get("name").asText().isBlank()) {
        throw invalid("tools." + i + ".name: Field required (a non-empty string)");
      }
      String type = tool.path("type").asText("custom");
      if (type.equals("custom") && !tool.path("input_schema").isObject()) {
        throw invalid("tools." + i + ".input_schema: Input should be a valid dictionary (a JSON schema)");
      }
    }
  }

  private static void atMost(JsonNode list, int max, String name) {
    if (list.size() > max) {
      throw invalid(name + ": List should have at most " + max + " items, not " + list.size());
    }
  }

  private static JsonNode list(JsonNode v, String name) {
    if (!v.isArray()) {
      throw invalid(name + ": Input should be a valid list");
    }
    return v;
  }

  private static GatewayException invalid(String message) {
    return GatewayException.of(ErrorType.INVALID_REQUEST, message);
  }
}
