package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.util.List;
import java.util.Map;

/**
 * OpenAI sampling and output parameters as Gemini's {@code generationConfig}. Parameters without an equivalent
 * ({@code user}, {@code parallel_tool_calls}, {@code logit_bias}, {@code service_tier}, ...) are dropped.
 */
final class GenerationConfigMapper {
  /** OpenAI parameter to Gemini field, for the numbers that only change their name. */
  private static final List<Map.Entry<String, String>> NUMBERS = List.of(Map.entry("temperature", "temperature"),
      Map.entry("top_p", "topP"), Map.entry("top_k", "topK"), Map.entry("presence_penalty", "presencePenalty"),
      Map.entry("frequency_penalty", "frequencyPenalty"));
  /** reasoning_effort to a thinking budget in tokens; "none" turns thinking off where the model allows it. */
  private static final Map<String, Integer> THINKING_BUDGETS = Map.of("none", 0, "minimal", 512, "low", 1024,
      "medium", 8192, "high", 24576, "xhigh", 32768);

  private GenerationConfigMapper() {
  }

  static ObjectNode from(JsonNode body) {
    ObjectNode config = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, String> number : NUMBERS) {
      JsonNode v = body.get(number.getKey());
      if (v != null && v.isNumber()) {
        config.set(number.getValue(), v);
      }
    }
    JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
        : body.get("max_tokens");
    if (max != null && max.canConvertToInt()) {
      config.put("maxOutputTokens", max.asInt());
    }
    if (body.path("n").canConvertToInt() && body.path("n").asInt() > 1) {
      config.put("candidateCount", body.path("n").asInt());
    }
    if (body.path("seed").isIntegralNumber()) {
      config.put("seed", body.path("seed").asLong());
    }
    stop(body.get("stop"), config);
    responseFormat(body.path("response_format"), config);
    thinking(body.path("reasoning_effort").asText(""), config);
    return config;
  }

  private static void stop(JsonNode stop, ObjectNode config) {
    if (stop == null || stop.isNull()) {
      return;
    }
    ArrayNode sequences = Json.MAPPER.createArrayNode();
    if (stop.isTextual()) {
      sequences.add(stop.asText());
    } else {
      stop.forEach(s -> sequences.add(s.asText()));
    }
    if (!sequences.isEmpty()) {
      config.set("stopSequences", sequences);
    }
  }

  /**
   * JSON output. A {@code json_schema} goes to {@code responseJsonSchema}, which takes standard JSON Schema as
   * OpenAI clients write it ({@code additionalProperties}, {@code $ref}/{@code $defs}, type arrays), rather than to
   * {@code responseSchema}, whose OpenAPI subset rejects those keywords outright.
   */
  private static void responseFormat(JsonNode format, ObjectNode config) {
    String type = format.path("type").asText("");
    if (type.equals("json_object") || type.equals("json_schema")) {
      config.put("responseMimeType", "application/json");
    }
    JsonNode schema = format.at("/json_schema/schema");
    if (type.equals("json_schema") && schema.isObject()) {
      config.set("responseJsonSchema", schema);
    }
  }

  private static void thinking(String effort, ObjectNode config) {
    Integer budget = THINKING_BUDGETS.get(effort);
    if (budget == null) {
      return;
    }
    ObjectNode thinking = config.putObject("thinkingConfig").put("thinkingBudget", budget);
    if (budget > 0) {
      thinking.put("includeThoughts", true);
    }
  }
}
