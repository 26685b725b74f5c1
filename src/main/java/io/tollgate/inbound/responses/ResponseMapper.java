package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.openai.Reasoning;
import java.time.Instant;

/**
 * A chat completion as a Responses API {@code response}: the request's settings echoed as OpenAI echoes them, then
 * a {@code reasoning} item with the upstream's reasoning, if any, one {@code message} item with the text and one
 * {@code function_call} item per tool call.
 */
final class ResponseMapper {
  private ResponseMapper() {
  }

  /** {@code sentModel} is the name the upstream was sent, for an answer that names none. */
  static ObjectNode toResponse(ObjectNode request, JsonNode completion, String sentModel) {
    ObjectNode out = shell(request, Ids.random("resp_"), model(completion, sentModel));
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    ArrayNode output = out.putArray("output");
    String reasoning = Reasoning.of(message);
    if (!reasoning.isEmpty()) {
      ObjectNode item = reasoning(Ids.random("rs_"), "completed");
      ((ArrayNode) item.get("content")).add(reasoningPart(reasoning));
      output.add(item);
    }
    String text = message.path("content").isTextual() ? message.get("content").asText() : "";
    if (!text.isEmpty()) {
      output.add(message(Ids.random("msg_"), "completed").set("content",
          Json.MAPPER.createArrayNode().add(textPart(text))));
    }
    if (message.path("refusal").isTextual()) {
      output.add(message(Ids.random("msg_"), "completed").set("content", Json.MAPPER.createArrayNode()
          .add(Json.MAPPER.createObjectNode().put("type", "refusal").put("refusal", message.get("refusal").asText()))));
    }
    for (JsonNode call : message.path("tool_calls")) {
      output.add(functionCall(call.path("id").asText(""), call.path("function").path("name").asText(""),
          "completed").put("arguments", call.path("function").path("arguments").asText("")));
    }
    ResponsesWire.status(out, choice.path("finish_reason").asText(null));
    ResponsesWire.usage(out, completion.get("usage"));
    return out;
  }

  /** A response's fields before any output: the request's settings, with OpenAI's defaults for those not given. */
  static ObjectNode shell(ObjectNode request, String id, String model) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", id).put("object", "response").put("created_at", Instant.now().getEpochSecond());
    out.put("status", "in_progress").putNull("error").putNull("incomplete_details");
    out.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : null);
    out.set("max_output_tokens", request.path("max_output_tokens").isInt() ? request.get("max_output_tokens") : null);
    out.put("model", model);
    out.putArray("output");
    out.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
    out.set("previous_response_id", request.path("previous_response_id").isTextual()
        ? request.get("previous_response_id") : null);
    ObjectNode reasoning = out.putObject("reasoning");
    reasoning.set("effort", request.path("reasoning").path("effort").isTextual()
        ? request.at("/reasoning/effort") : null);
    reasoning.putNull("summary");
    out.put("store", request.path("store").asBoolean(true));
    out.put("temperature", request.path("temperature").asDouble(1.0));
    JsonNode format = request.path("text").path("format");
    out.putObject("text").set("format", format.isObject() ? format
        : Json.MAPPER.createObjectNode().put("type", "text"));
    out.set("tool_choice", request.has("tool_choice") ? request.get("tool_choice") : Json.MAPPER.valueToTree("auto"));
    out.set("tools", tools(request.path("tools")));
    out.put("top_p", request.path("top_p").asDouble(1.0));
    out.put("truncation", "disabled");
    if (request.path("user").isTextual()) {
      out.set("user", request.get("user")); // a string or absent, never null
    }
    out.set("metadata", request.path("metadata").isObject() ? request.get("metadata")
        : Json.MAPPER.createObjectNode());
    return out;
  }

  /** The function tools as a response lists them: every one with its parameters and strictness. */
  private static ArrayNode tools(JsonNode requested) {
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (JsonNode tool : requested) {
      ObjectNode t = tools.addObject().put("type", "function").put("name", tool.path("name").asText());
      t.set("description", tool.path("description").isTextual() ? tool.get("description") : null);
      t.set("parameters", tool.path("parameters").isObject() ? tool.get("parameters") : null);
      t.put("strict", tool.path("strict").asBoolean(true));
    }
    return tools;
  }

  static ObjectNode message(String id, String status) {
    ObjectNode item = Json.MAPPER.createObjectNode().put("type", "message").put("id", id).put("status", status)
        .put("role", "assistant");
    item.putArray("content");
    return item;
  }

  /** A reasoning item: the upstream's reasoning text as its content, and no summary (none was asked for). */
  static ObjectNode reasoning(String id, String status) {
    ObjectNode item = Json.MAPPER.createObjectNode().put("type", "reasoning").put("id", id);
    item.putArray("summary");
    item.putArray("content");
    return item.put("status", status);
  }

  static ObjectNode reasoningPart(String text) {
    return Json.MAPPER.createObjectNode().put("type", "reasoning_text").put("text", text);
  }

  static ObjectNode textPart(String text) {
    ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  /** A function_call item; its {@code call_id} is the upstream's tool call id (a new one if it gave none). */
  static ObjectNode functionCall(String callId, String name, String status) {
    return Json.MAPPER.createObjectNode().put("type", "function_call").put("id", Ids.random("fc_"))
        .put("call_id", callId.isEmpty() ? Ids.random("call_") : callId).put("name", name).put("arguments", "")
        .put("status", status);
  }

  /** The model a chat answer or chunk names, or the one the upstream was sent if it names none. */
  static String model(JsonNode completionOrChunk, String sent) {
    JsonNode reported = completionOrChunk.path("model");
    return reported.isTextual() && !reported.asText().isBlank() ? reported.asText() : sent;
  }
}
