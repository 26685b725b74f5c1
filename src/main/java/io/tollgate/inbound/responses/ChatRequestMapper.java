package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;

/**
 * A Responses request as the chat request it means, for every provider type's adapter. {@code store} and
 * {@code metadata} stay at the gateway (the chat API refuses metadata without storing), {@code truncation},
 * {@code include} and the like have no chat counterpart and are dropped.
 */
final class ChatRequestMapper {
  private ChatRequestMapper() {
  }

  static ObjectNode toChat(ObjectNode body, boolean stream) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", body.get("model").asText());
    out.set("messages", InputMapper.messages(body.get("instructions"), body.get("input")));
    copy(body, "temperature", out, "temperature");
    copy(body, "top_p", out, "top_p");
    copy(body, "max_output_tokens", out, "max_tokens");
    copy(body, "user", out, "user");
    JsonNode effort = body.path("reasoning").path("effort");
    if (effort.isTextual()) {
      out.put("reasoning_effort", effort.asText());
    }
    JsonNode format = body.path("text").path("format");
    switch (format.path("type").asText("")) {
      case "json_object" -> out.putObject("response_format").put("type", "json_object");
      case "json_schema" -> {
        ObjectNode schema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        for (String name : new String[] {"name", "description", "schema", "strict"}) {
          copy(format, name, schema, name);
        }
      }
      default -> { } // text: the default
    }
    tools(body, out);
    if (stream) {
      out.put("stream", true);
      out.putObject("stream_options").put("include_usage", true);
    }
    return out;
  }

  /** Function tools, flat in Responses, nested under {@code function} in chat. */
  private static void tools(ObjectNode body, ObjectNode out) {
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (JsonNode tool : body.path("tools")) {
      ObjectNode function = tools.addObject().put("type", "function").putObject("function");
      for (String name : new String[] {"name", "description", "parameters", "strict"}) {
        copy(tool, name, function, name);
      }
    }
    if (tools.isEmpty()) {
      return; // chat refuses tool_choice and parallel_tool_calls without tools
    }
    out.set("tools", tools);
    JsonNode choice = body.path("tool_choice");
    if (choice.isTextual()) {
      out.put("tool_choice", choice.asText());
    } else if ("function".equals(choice.path("type").asText())) {
      out.putObject("tool_choice").put("type", "function").putObject("function")
          .put("name", choice.path("name").asText());
    }
    copy(body, "parallel_tool_calls", out, "parallel_tool_calls");
  }

  private static void copy(JsonNode from, String name, ObjectNode to, String as) {
    JsonNode v = from.get(name);
    if (v != null && !v.isNull()) {
      to.set(as, v);
    }
  }
}
