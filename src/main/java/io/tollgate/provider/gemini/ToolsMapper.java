package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;

/**
 * OpenAI function tools as Gemini {@code functionDeclarations}, and {@code tool_choice} as
 * {@code toolConfig.functionCallingConfig}. Non-function tools have no Gemini equivalent and are dropped, as is
 * {@code parallel_tool_calls} (Gemini decides for itself how many calls it makes).
 */
final class ToolsMapper {
  private ToolsMapper() {
  }

  static void write(JsonNode body, ObjectNode out) {
    ArrayNode declarations = Json.MAPPER.createArrayNode();
    for (JsonNode tool : body.path("tools")) {
      if ("function".equals(tool.path("type").asText()) && tool.has("function")) {
        declarations.add(declaration(tool.get("function")));
      }
    }
    body.path("functions").forEach(f -> declarations.add(declaration(f)));
    if (declarations.isEmpty()) {
      return;
    }
    out.putArray("tools").addObject().set("functionDeclarations", declarations);
    ObjectNode calling = callingConfig(body.has("tool_choice") ? body.get("tool_choice") : body.get("function_call"));
    if (calling != null) {
      out.putObject("toolConfig").set("functionCallingConfig", calling);
    }
  }

  /**
   * The schema goes to {@code parametersJsonSchema}, which takes JSON Schema as OpenAI clients and MCP servers
   * write it; {@code parameters} is an OpenAPI subset that fails the whole request on keywords such as
   * {@code additionalProperties}, {@code $ref} or {@code propertyNames}.
   */
  private static ObjectNode declaration(JsonNode function) {
    ObjectNode d = Json.MAPPER.createObjectNode().put("name", function.path("name").asText());
    if (function.hasNonNull("description")) {
      d.put("description", function.get("description").asText());
    }
    JsonNode parameters = function.get("parameters");
    if (parameters != null && parameters.isObject() && !parameters.isEmpty()) {
      d.set("parametersJsonSchema", parameters);
    }
    return d;
  }

  private static ObjectNode callingConfig(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    if (choice.isTextual()) {
      String mode = switch (choice.asText()) {
        case "none" -> "NONE";
        case "required", "any" -> "ANY";
        default -> "AUTO";
      };
      return config.put("mode", mode);
    }
    String name = choice.at("/function/name").asText(choice.path("name").asText(""));
    if (!name.isEmpty()) {
      config.put("mode", "ANY");
      config.putArray("allowedFunctionNames").add(name);
      return config;
    }
    JsonNode allowed = choice.path("allowed_tools");
    if (allowed.isObject()) {
      // Gemini takes allowedFunctionNames only with mode ANY; "auto" over a subset can only be plain AUTO.
      if (!"required".equals(allowed.path("mode").asText())) {
        return config.put("mode", "AUTO");
      }
      config.put("mode", "ANY");
      ArrayNode names = config.putArray("allowedFunctionNames");
      allowed.path("tools").forEach(t -> names.add(t.at("/function/name").asText(t.path("name").asText())));
      return config;
    }
    return null;
  }
}
