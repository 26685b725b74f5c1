package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;

/**
 * OpenAI {@code tools}, {@code tool_choice}, {@code parallel_tool_calls} and {@code response_format} as Anthropic
 * tools. A {@code response_format} becomes one more tool, {@link AnthropicWire#JSON_TOOL}, whose input schema is the
 * requested schema, forced when the client has no tools of its own (as LiteLLM does): this works on every Claude
 * model, where Anthropic's own structured-output parameter needs a beta header and a recent model.
 */
final class AnthropicTools {
  private AnthropicTools() {
  }

  /** Puts {@code tools} and {@code tool_choice} into the request; true when the JSON tool was added. */
  static boolean into(ObjectNode out, ObjectNode body) {
    ArrayNode tools = Json.MAPPER.createArrayNode();
    JsonNode given = body.path("tools");
    for (int i = 0; i < given.size(); i++) {
      tools.add(tool(given.get(i), "tools[" + i + "]"));
    }
    boolean clientTools = !tools.isEmpty();
    String format = body.path("response_format").path("type").asText("");
    boolean json = format.equals("json_schema") || format.equals("json_object");
    if (json) {
      tools.add(jsonTool(body.path("response_format")));
    }
    if (tools.isEmpty()) {
      return false;
    }
    out.set("tools", tools);
    ObjectNode choice = clientTools ? toolChoice(body.get("tool_choice"))
        : Json.MAPPER.createObjectNode().put("type", "tool").put("name", AnthropicWire.JSON_TOOL);
    JsonNode parallel = body.get("parallel_tool_calls");
    if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
      if (choice == null) {
        choice = Json.MAPPER.createObjectNode().put("type", "auto");
      }
      if (!"none".equals(choice.path("type").asText())) {
        choice.put("disable_parallel_tool_use", true);
      }
    }
    if (choice != null) {
      out.set("tool_choice", choice);
    }
    return json;
  }

  private static ObjectNode tool(JsonNode t, String at) {
    String type = t.path("type").asText("function");
    if (!type.equals("function")) {
      throw AnthropicMessages.invalid(at + ": tools of type '" + type + "' are not supported by provider type "
          + "anthropic; use function tools", at + ".type");
    }
    JsonNode f = t.path("function");
    ObjectNode tool = Json.MAPPER.createObjectNode().put("name", f.path("name").asText());
    if (f.hasNonNull("description")) {
      tool.put("description", f.get("description").asText());
    }
    JsonNode parameters = f.get("parameters");
    tool.set("input_schema", parameters != null && parameters.isObject() ? parameters : emptySchema());
    if (t.has("cache_control")) {
      tool.set("cache_control", t.get("cache_control"));
    }
    return tool;
  }

  private static ObjectNode jsonTool(JsonNode format) {
    JsonNode spec = format.path("json_schema");
    JsonNode schema = spec.path("schema");
    ObjectNode tool = Json.MAPPER.createObjectNode().put("name", AnthropicWire.JSON_TOOL);
    tool.put("description", spec.hasNonNull("description") ? spec.get("description").asText()
        : "Give your answer as this tool's input: JSON that matches its schema.");
    tool.set("input_schema", schema.isObject() ? schema : Json.MAPPER.createObjectNode().put("type", "object"));
    return tool;
  }

  /** auto, none, required (any) or one named function (tool); null when the client did not choose. */
  private static ObjectNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (choice.isTextual()) {
      return out.put("type", switch (choice.asText()) {
        case "none" -> "none";
        case "required" -> "any";
        default -> "auto";
      });
    }
    String name = choice.path("function").path("name").asText(null);
    return name == null ? out.put("type", "auto") : out.put("type", "tool").put("name", name);
  }

  private static ObjectNode emptySchema() {
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    schema.putObject("properties");
    return schema;
  }
}
