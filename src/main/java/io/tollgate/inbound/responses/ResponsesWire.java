package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;

/** The Responses API's vocabulary for what chat answers say: status, why an answer stopped, usage, errors. */
final class ResponsesWire {
  private ResponsesWire() {
  }

  /** A chat finish_reason as the reason a response is incomplete, or null when it is complete. */
  static String incompleteReason(String finishReason) {
    if ("length".equals(finishReason)) {
      return "max_output_tokens";
    }
    return "content_filter".equals(finishReason) ? "content_filter" : null;
  }

  /** Sets status and incomplete_details on a response from the chat finish_reason. */
  static void status(ObjectNode response, String finishReason) {
    String reason = incompleteReason(finishReason);
    response.put("status", reason == null ? "completed" : "incomplete");
    if (reason == null) {
      response.putNull("incomplete_details");
    } else {
      response.putObject("incomplete_details").put("reason", reason);
    }
  }

  /** Chat usage on a response in the Responses API's names, details included; none when the upstream sent none. */
  static void usage(ObjectNode response, JsonNode chatUsage) {
    if (chatUsage == null || !chatUsage.isObject()) {
      return; // the schema has no null usage: absent
    }
    int input = chatUsage.path("prompt_tokens").asInt(0);
    int output = chatUsage.path("completion_tokens").asInt(0);
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("input_tokens", input);
    usage.putObject("input_tokens_details")
        .put("cached_tokens", chatUsage.path("prompt_tokens_details").path("cached_tokens").asInt(0))
        .put("cache_write_tokens", 0);
    usage.put("output_tokens", output);
    usage.putObject("output_tokens_details")
        .put("reasoning_tokens", chatUsage.path("completion_tokens_details").path("reasoning_tokens").asInt(0));
    usage.put("total_tokens", chatUsage.path("total_tokens").asInt(input + output));
    response.set("usage", usage);
  }

  /** A failed response's {@code error}: its code is one of the few the API names. */
  static ObjectNode error(GatewayException e) {
    return Json.MAPPER.createObjectNode()
        .put("code", e.status() == 429 ? "rate_limit_exceeded" : "server_error")
        .put("message", e.getMessage());
  }

  /** The {@code error} event of a stream that failed before its response was announced. */
  static ObjectNode errorEvent(GatewayException e) {
    ObjectNode event = Json.MAPPER.createObjectNode().put("type", "error");
    event.put("code", e.code()).put("message", e.getMessage()).put("param", e.param());
    return event;
  }
}
