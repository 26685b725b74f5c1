package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;

/**
 * An Anthropic Messages request as the OpenAI chat request it means, for upstreams that are not Anthropic. What
 * OpenAI's format cannot say is dropped rather than refused: {@code top_k}, {@code cache_control}, thinking blocks
 * and their signatures, server tools. Pure functions; the client's body is only read.
 */
final class RequestMapper {
  /** OpenAI takes at most four stop sequences. */
  private static final int MAX_STOP = 4;

  private RequestMapper() {
  }

  static ObjectNode toOpenAi(ObjectNode body, boolean stream) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", body.get("model").asText());
    out.set("messages", ContentMapper.messages(body.get("system"), body.get("messages")));
    for (String name : new String[] {"max_tokens", "temperature", "top_p"}) {
      if (body.path(name).isNumber()) {
        out.set(name, body.get(name));
      }
    }
    ArrayNode stop = Json.MAPPER.createArrayNode();
    for (JsonNode s : body.path("stop_sequences")) {
      if (s.isTextual() && stop.size() < MAX_STOP) {
        stop.add(s);
      }
    }
    if (!stop.isEmpty()) {
      out.set("stop", stop);
    }
    String user = body.path("metadata").path("user_id").asText("");
    if (!user.isEmpty()) {
      out.put("user", user);
    }
    tools(body, out);
    String effort = effort(body.path("thinking"));
    if (effort != null) {
      out.put("reasoning_effort", effort);
    }
    if (stream) {
      out.put("stream", true);
      out.putObject("stream_options").put("include_usage", true);
    }
    return out;
  }

  /**
   * A thinking budget as the nearest reasoning effort: Anthropic's provider type turns low, medium and high back
   * into budgets of 1024, 4096 and 16384 tokens, so the thresholds sit between those.
   */
  static String effort(JsonNode thinking) {
    if (!"enabled".equals(thinking.path("type").asText())) {
      return null; // disabled, or "adaptive": the model decides, which is every upstream's default too
    }
    int budget = thinking.path("budget_tokens").asInt(0);
    return budget < 2048 ? "low" : budget < 8192 ? "medium" : "high";
  }

  /** Custom tools as functions; Anthropic's server tools (web search, bash, ...) have no input schema to send. */
  private static void tools(ObjectNode body, ObjectNode out) {
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (JsonNode tool : body.path("tools")) {
      String type = tool.path("type").asText("custom");
      if (!type.equals("custom") || !tool.path("input_schema").isObject()) {
        continue;
      }
      ObjectNode function = tools.addObject().put("type", "function").putObject("function");
      function.put("name", tool.path("name").asText());
      if (tool.path("description").isTextual()) {
        function.put("description", tool.get("description").asText());
      }
      function.set("parameters", tool.get("input_schema"));
    }
    if (tools.isEmpty()) {
      return; // OpenAI refuses tool_choice and parallel_tool_calls without tools
    }
    out.set("tools", tools);
    JsonNode choice = body.path("tool_choice");
    switch (choice.path("type").asText("")) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> out.putObject("tool_choice").put("type", "function").putObject("function")
          .put("name", choice.path("name").asText());
      default -> { } // not given: the upstream's default, auto
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }
}
