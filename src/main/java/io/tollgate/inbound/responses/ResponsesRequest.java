package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.RequestValidator;
import java.util.Set;

/**
 * A client's {@code POST /v1/responses} body, checked before it goes anywhere: a model, input as a string or a list
 * of items the gateway can translate, function tools, and values of the right JSON type. Whether a value is in range
 * is the upstream's to judge. Errors name the field as OpenAI's API does ({@code input[2].call_id}).
 */
record ResponsesRequest(ObjectNode body, String model, boolean stream) {
  /** The previous response this one continues, or null. */
  String previousId() {
    JsonNode id = body.get("previous_response_id");
    return id == null || id.isNull() ? null : id.asText();
  }

  /** Whether the response is kept: {@code store} defaults to true, as OpenAI's. */
  boolean store() {
    return body.path("store").asBoolean(true);
  }

  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
  private static final Set<String> ITEMS = Set.of("message", "function_call", "function_call_output", "reasoning");
  /** The items a chat model is sent; other items (reasoning, web_search_call, ...) are dropped on the way. */
  private static final Set<String> SENT = Set.of("message", "function_call", "function_call_output");
  private static final Set<String> PARTS = Set.of("input_text", "output_text", "input_image", "input_file",
      "refusal");

  static ResponsesRequest parse(byte[] bytes) {
    ObjectNode body = RequestValidator.object(bytes);
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw invalid("you must provide a model parameter", "model");
    }
    if (present(body.get("conversation"))) {
      throw invalid("conversation is not supported yet: send the whole conversation as input", "conversation");
    }
    input(body.get("input"));
    kind(body, "instructions", JsonNode::isTextual, "a string");
    kind(body, "previous_response_id", JsonNode::isTextual, "a string");
    for (String name : new String[] {"temperature", "top_p"}) {
      kind(body, name, JsonNode::isNumber, "a number");
    }
    kind(body, "max_output_tokens", v -> v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 1,
        "an integer of at least 1");
    for (String name : new String[] {"stream", "store", "parallel_tool_calls"}) {
      kind(body, name, JsonNode::isBoolean, "a boolean");
    }
    kind(body, "user", JsonNode::isTextual, "a string");
    kind(body, "metadata", JsonNode::isObject, "an object");
    kind(body, "text", JsonNode::isObject, "an object");
    kind(body, "reasoning", JsonNode::isObject, "an object");
    tools(body.get("tools"));
    format(body.path("text").get("format"));
    return new ResponsesRequest(body, model.asText(), body.path("stream").asBoolean(false));
  }

  private static void input(JsonNode input) {
    if (input == null || input.isNull() || input.isTextual()) {
      if (input == null || input.isNull() || input.asText().isEmpty()) {
        throw invalid("input is required: a string or a list of input items", "input");
      }
      return;
    }
    if (!input.isArray() || input.isEmpty()) {
      throw invalid("input must be a string or a non-empty list of input items", "input");
    }
    if (input.size() > RequestValidator.MAX_MESSAGES) {
      throw invalid("input has more than " + RequestValidator.MAX_MESSAGES + " items", "input");
    }
    for (int i = 0; i < input.size(); i++) {
      item(input.get(i), "input[" + i + "]");
    }
  }

  /**
   * A stored response's output before it goes on as input: an upstream wrote it (a pass-through one, anything), so
   * the items a chat model is sent are checked as input items are. A 400 naming previous_response_id, never a 500.
   */
  static void continuable(JsonNode output) {
    int i = 0;
    for (JsonNode item : output) {
      String at = "output[" + i++ + "]";
      if (SENT.contains(item.path("type").asText("message"))) {
        try {
          item(item, at);
        } catch (GatewayException e) {
          throw invalid("The previous response cannot be continued: " + e.getMessage(), "previous_response_id");
        }
      }
    }
  }

  private static void item(JsonNode item, String at) {
    if (!item.isObject()) {
      throw invalid("Invalid type for '" + at + "': expected an input item object", at);
    }
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    if (!ITEMS.contains(type)) {
      throw invalid("Invalid value for '" + at + ".type': '" + type + "' is not an input item this gateway can "
          + "translate (message, function_call, function_call_output)", at + ".type");
    }
    switch (type) {
      case "message" -> message(item, at);
      case "function_call" -> {
        text(item, "call_id", at);
        text(item, "name", at);
        text(item, "arguments", at);
      }
      case "function_call_output" -> {
        text(item, "call_id", at);
        JsonNode output = item.get("output");
        if (output == null || !(output.isTextual() || output.isArray())) {
          throw invalid("Missing required parameter: '" + at + ".output' (a string or a list of content parts)",
              at + ".output");
        }
      }
      default -> { } // reasoning: dropped on the way to a chat model
    }
  }

  private static void message(JsonNode item, String at) {
    if (!ROLES.contains(item.path("role").asText())) {
      throw invalid("Invalid value for '" + at + ".role': expected one of user, assistant, system, developer",
          at + ".role");
    }
    JsonNode content = item.get("content");
    if (content == null || !(content.isTextual() || content.isArray())) {
      throw invalid("Missing required parameter: '" + at + ".content' (a string or a list of content parts)",
          at + ".content");
    }
    for (int j = 0; content.isArray() && j < content.size(); j++) {
      JsonNode part = content.get(j);
      String here = at + ".content[" + j + "]";
      if (!part.isObject() || !PARTS.contains(part.path("type").asText())) {
        throw invalid("Invalid value for '" + here + ".type': expected input_text, input_image, input_file or "
            + "output_text", here + ".type");
      }
      String type = part.get("type").asText();
      if (type.endsWith("_text") && !part.path("text").isTextual()) {
        throw invalid("Missing required parameter: '" + here + ".text'", here + ".text");
      }
      if (type.equals("input_image") && !part.path("image_url").isTextual()) {
        throw invalid("'" + here + "' needs an image_url (a URL or a data: URL); file_id is not supported",
            here + ".image_url");
      }
    }
  }

  private static void tools(JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return;
    }
    if (!tools.isArray() || tools.size() > RequestValidator.MAX_TOOLS) {
      throw invalid("tools must be a list of at most " + RequestValidator.MAX_TOOLS + " tools", "tools");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String at = "tools[" + i + "]";
      if (!tool.isObject() || !"function".equals(tool.path("type").asText())) {
        throw invalid("Invalid value for '" + at + ".type': only function tools can be served by this gateway",
            at + ".type");
      }
      text(tool, "name", at);
      if (tool.has("parameters") && !(tool.get("parameters").isObject() || tool.get("parameters").isNull())) {
        throw invalid("Invalid type for '" + at + ".parameters': expected an object (a JSON schema)",
            at + ".parameters");
      }
    }
  }

  private static void format(JsonNode format) {
    if (format == null || format.isNull()) {
      return;
    }
    String type = format.path("type").asText("");
    if (!Set.of("text", "json_object", "json_schema").contains(type)) {
      throw invalid("Invalid value for 'text.format.type': expected text, json_object or json_schema",
          "text.format.type");
    }
    if (type.equals("json_schema") && (!format.path("name").isTextual() || !format.path("schema").isObject())) {
      throw invalid("text.format of type json_schema needs a name and a schema object", "text.format");
    }
  }

  private static void text(JsonNode holder, String name, String at) {
    if (!holder.path(name).isTextual()) {
      throw invalid("Missing required parameter: '" + at + "." + name + "' (a string)", at + "." + name);
    }
  }

  private static void kind(ObjectNode body, String name, java.util.function.Predicate<JsonNode> ok, String what) {
    JsonNode v = body.get(name);
    if (v != null && !v.isNull() && !ok.test(v)) {
      throw invalid("Invalid type for '" + name + "': expected " + what, name);
    }
  }

  private static boolean present(JsonNode v) {
    return v != null && !v.isNull();
  }

  private static GatewayException invalid(String message, String param) {
    return GatewayException.param(ErrorType.INVALID_REQUEST, message, param);
  }
}
