package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.openai.Reasoning;
import java.io.IOException;

/**
 * An OpenAI {@code chat.completion} as an Anthropic {@code message}: reasoning as a thinking block (with an empty
 * signature: there is none to give), then the text, then one {@code tool_use} block per tool call.
 */
final class AnswerMapper {
  private AnswerMapper() {
  }

  /** {@code sentModel} is the name the upstream was sent, for an answer that names none. */
  static ObjectNode toMessage(JsonNode completion, String sentModel) {
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode out = head(Ids.random("msg_"), model(completion, sentModel));
    ArrayNode content = out.putArray("content");
    String reasoning = Reasoning.of(message);
    if (!reasoning.isEmpty()) {
      content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
    }
    String text = message.path("content").isTextual() ? message.get("content").asText() : "";
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    JsonNode calls = message.path("tool_calls");
    for (JsonNode call : calls) {
      ObjectNode use = content.addObject().put("type", "tool_use")
          .put("id", call.path("id").asText(Ids.random("toolu_")))
          .put("name", call.path("function").path("name").asText());
      use.set("input", input(call.path("function").path("arguments").asText("")));
    }
    out.put("stop_reason", MessagesWire.stopReason(choice.path("finish_reason").asText(null), !calls.isEmpty()));
    out.putNull("stop_sequence");
    out.set("usage", MessagesWire.usage(completion.path("usage")));
    return out;
  }

  /** The model an OpenAI answer or chunk names, or the one the upstream was sent if it names none. */
  static String model(JsonNode completionOrChunk, String sent) {
    JsonNode reported = completionOrChunk.path("model");
    return reported.isTextual() && !reported.asText().isBlank() ? reported.asText() : sent;
  }

  /** The fields every message starts with, as message_start also sends them. */
  static ObjectNode head(String id, String model) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    return out;
  }

  /** Tool arguments are a JSON string in OpenAI's answers and an object in Anthropic's. */
  static JsonNode input(String arguments) {
    if (!arguments.isBlank()) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(arguments);
        if (parsed != null && parsed.isObject()) {
          return parsed;
        }
      } catch (IOException notJson) {
        // an upstream that wrote broken JSON: the call goes out with no input rather than failing the answer
      }
    }
    return Json.MAPPER.createObjectNode();
  }
}
