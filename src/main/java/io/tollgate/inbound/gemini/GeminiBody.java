package io.tollgate.inbound.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.openai.RequestValidator;
import java.util.Locale;

/**
 * A Gemini {@code generateContent} body sent to {@code /v1/chat/completions} ({@code contents} instead of
 * {@code messages}), as the OpenAI chat request it means. The answer stays in OpenAI's format. Field names are
 * read in Gemini's camelCase and in the snake_case its REST API also takes. Pure functions.
 */
public final class GeminiBody {
  private GeminiBody() {
  }

  /** A body with {@code contents} and no {@code messages}. */
  public static boolean matches(ObjectNode body) {
    return body.has("contents") && !body.has("messages");
  }

  public static ObjectNode toOpenAi(ObjectNode body) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", model(body));
    for (String kept : new String[] {"stream", "stream_options", "user"}) {
      if (body.has(kept)) {
        out.set(kept, body.get(kept));
      }
    }
    JsonNode contents = body.get("contents");
    if (!contents.isArray()) {
      throw invalid("'contents' must be an array of turns", "contents");
    }
    if (contents.size() > RequestValidator.MAX_MESSAGES) {
      throw invalid("'contents' has " + contents.size() + " turns; at most " + RequestValidator.MAX_MESSAGES
          + " are accepted", "contents");
    }
    out.set("messages", GeminiContents.messages(field(body, "systemInstruction"), contents));
    generationConfig(field(body, "generationConfig"), out);
    tools(body, out);
    return out;
  }

  private static String model(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw invalid("'model' is a required property: a Gemini-style body on /v1/chat/completions names its model "
          + "in the body", "model");
    }
    String name = model.asText();
    return name.startsWith("models/") ? name.substring("models/".length()) : name;
  }

  private static void generationConfig(JsonNode config, ObjectNode out) {
    copyNumber(config, "temperature", out, "temperature");
    copyNumber(config, "topP", out, "top_p");
    copyNumber(config, "presencePenalty", out, "presence_penalty");
    copyNumber(config, "frequencyPenalty", out, "frequency_penalty");
    copyNumber(config, "maxOutputTokens", out, "max_tokens");
    copyNumber(config, "candidateCount", out, "n");
    copyNumber(config, "seed", out, "seed");
    JsonNode stop = field(config, "stopSequences");
    if (stop.isArray() && !stop.isEmpty()) {
      out.set("stop", stop);
    }
    JsonNode schema = field(config, "responseJsonSchema");
    if (!schema.isObject()) {
      schema = field(config, "responseSchema");
    }
    if (schema.isObject()) {
      ObjectNode format = out.putObject("response_format").put("type", "json_schema");
      format.putObject("json_schema").put("name", "response").set("schema", jsonSchema(schema));
    } else if ("application/json".equals(field(config, "responseMimeType").asText())) {
      out.putObject("response_format").put("type", "json_object");
    }
    String effort = effort(field(config, "thinkingConfig"));
    if (effort != null) {
      out.put("reasoning_effort", effort);
    }
  }

  /** A thinking level as is; a budget as the nearest effort (0 and -1, "off" and "dynamic", ask for nothing). */
  private static String effort(JsonNode thinking) {
    String level = field(thinking, "thinkingLevel").asText("");
    if (!level.isEmpty()) {
      return level.toLowerCase(Locale.ROOT);
    }
    JsonNode budget = field(thinking, "thinkingBudget");
    if (!budget.canConvertToInt() || budget.asInt() <= 0) {
      return null;
    }
    return budget.asInt() <= 1024 ? "low" : budget.asInt() <= 8192 ? "medium" : "high";
  }

  private static void tools(ObjectNode body, ObjectNode out) {
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (JsonNode tool : body.path("tools")) {
      for (JsonNode d : field(tool, "functionDeclarations")) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", d.path("name").asText());
        if (d.hasNonNull("description")) {
          function.put("description", d.get("description").asText());
        }
        JsonNode parameters = field(d, "parametersJsonSchema");
        if (!parameters.isObject()) {
          parameters = field(d, "parameters");
        }
        function.set("parameters", parameters.isObject() ? jsonSchema(parameters)
            : Json.MAPPER.createObjectNode().put("type", "object"));
      }
      // googleSearch, codeExecution and other built-in tools have no OpenAI form: left out
    }
    if (tools.isEmpty()) {
      return;
    }
    out.set("tools", tools);
    JsonNode calling = field(field(body, "toolConfig"), "functionCallingConfig");
    JsonNode allowed = field(calling, "allowedFunctionNames");
    switch (field(calling, "mode").asText("").toUpperCase(Locale.ROOT)) {
      case "NONE" -> out.put("tool_choice", "none");
      case "ANY" -> {
        if (allowed.size() == 1) {
          out.putObject("tool_choice").put("type", "function").putObject("function")
              .put("name", allowed.get(0).asText());
        } else {
          out.put("tool_choice", "required");
        }
      }
      case "AUTO", "VALIDATED" -> out.put("tool_choice", "auto");
      default -> { } // the upstream's default
    }
  }

  /** Gemini's OpenAPI-style schemas write types in capitals ("OBJECT"); JSON Schema wants them in lower case. */
  static JsonNode jsonSchema(JsonNode schema) {
    if (schema.isObject()) {
      ObjectNode copy = Json.MAPPER.createObjectNode();
      schema.fields().forEachRemaining(e -> copy.set(e.getKey(),
          e.getKey().equals("type") && e.getValue().isTextual()
              ? Json.MAPPER.getNodeFactory().textNode(e.getValue().asText().toLowerCase(Locale.ROOT))
              : jsonSchema(e.getValue())));
      return copy;
    }
    if (schema.isArray()) {
      ArrayNode copy = Json.MAPPER.createArrayNode();
      schema.forEach(s -> copy.add(jsonSchema(s)));
      return copy;
    }
    return schema;
  }

  private static void copyNumber(JsonNode from, String name, ObjectNode out, String as) {
    JsonNode v = field(from, name);
    if (v.isNumber()) {
      out.set(as, v);
    }
  }

  /** A field by its camelCase name or its snake_case twin; a missing node when neither is there. */
  static JsonNode field(JsonNode node, String camel) {
    JsonNode v = node.path(camel);
    if (!v.isMissingNode() && !v.isNull()) {
      return v;
    }
    String snake = camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    JsonNode s = node.path(snake);
    return s.isNull() ? v : s;
  }

  static GatewayException invalid(String message, String param) {
    return GatewayException.param(ErrorType.INVALID_REQUEST, message, param);
  }
}
