package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.RequestValidator;
import java.util.Set;

/**
 * A client's Messages (or count_tokens) body, checked for what every route needs: a model and well-formed turns.
 * Everything else is the upstream's to judge, or the translation's to map or drop.
 */
record MessagesRequest(ObjectNode body, String model, boolean stream) {
  private static final Set<String> ROLES = Set.of("user", "assistant");

  static MessagesRequest parse(byte[] bytes, boolean countTokens) {
    ObjectNode body = RequestValidator.object(bytes);
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw invalid("model: Field required (a non-empty string)");
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw invalid("messages: Field required (a non-empty list of turns)");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode turn = messages.get(i);
      if (!turn.isObject() || !ROLES.contains(turn.path("role").asText())) {
        throw invalid("messages." + i + ".role: Input should be 'user' or 'assistant'");
      }
      JsonNode content = turn.get("content");
      if (content == null || !(content.isTextual() || content.isArray())) {
        throw invalid("messages." + i + ".content: Input should be a string or a list of content blocks");
      }
      for (int j = 0; content.isArray() && j < content.size(); j++) {
        if (!content.get(j).path("type").isTextual()) {
          throw invalid("messages." + i + ".content." + j + ".type: Field required");
        }
      }
    }
    JsonNode system = body.get("system");
    if (system != null && !(system.isNull() || system.isTextual() || system.isArray())) {
      throw invalid("system: Input should be a string or a list of text blocks");
    }
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens != null && !maxTokens.isNull() && (!maxTokens.isIntegralNumber()
        || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1)) {
      throw invalid("max_tokens: Input should be a whole number of at least 1");
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw invalid("stream: Input should be a valid boolean");
    }
    return new MessagesRequest(body, model.asText(), !countTokens && stream != null && stream.asBoolean(false));
  }

  private static GatewayException invalid(String message) {
    return GatewayException.of(ErrorType.INVALID_REQUEST, message);
  }
}
