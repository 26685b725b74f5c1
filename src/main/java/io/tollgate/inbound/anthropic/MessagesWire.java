package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.AnthropicErrors;
import io.tollgate.error.GatewayException;
import io.tollgate.stream.AsyncReply;
import io.tollgate.openai.Json;
import io.tollgate.openai.Usage;

/** Anthropic's vocabulary for what OpenAI answers say: stop reasons, usage, and errors as events or answers. */
final class MessagesWire {
  private MessagesWire() {
  }

  /** OpenAI's finish_reason as a stop_reason; an answer that calls tools stops for them whatever it says. */
  static String stopReason(String finishReason, boolean calledTools) {
    if (calledTools) {
      return "tool_use";
    }
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /**
   * OpenAI's usage as Anthropic's: input_tokens there leaves out what was read from the cache, which gets its own
   * count.
   */
  static ObjectNode usage(JsonNode openAiUsage) {
    int prompt = openAiUsage.path("prompt_tokens").asInt(0);
    int cached = openAiUsage.path("prompt_tokens_details").path("cached_tokens").asInt(0);
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("input_tokens", Math.max(0, prompt - cached));
    usage.put("cache_creation_input_tokens", 0);
    usage.put("cache_read_input_tokens", cached);
    usage.put("output_tokens", openAiUsage.path("completion_tokens").asInt(0));
    return usage;
  }

  /**
   * Anthropic's own usage as the request log counts it: every prompt token (input, cache reads and cache writes),
   * with the cache reads also counted apart as cached tokens.
   */
  static Usage logged(JsonNode anthropicUsage) {
    if (!anthropicUsage.isObject()) {
      return null;
    }
    JsonNode input = anthropicUsage.get("input_tokens");
    JsonNode output = anthropicUsage.get("output_tokens");
    Integer prompt = input == null ? null : input.asInt() + anthropicUsage.path("cache_read_input_tokens").asInt(0)
        + anthropicUsage.path("cache_creation_input_tokens").asInt(0);
    JsonNode cacheRead = anthropicUsage.get("cache_read_input_tokens");
    return new Usage(prompt, output == null ? null : output.asInt(),
        cacheRead == null || !cacheRead.isInt() ? null : cacheRead.asInt(), null);
  }

  /** An error in Anthropic's shape: an HTTP error answer before the stream opened, an {@code error} event after. */
  static void send(AsyncReply reply, boolean streamOpened, GatewayException e) {
    byte[] body = AnthropicErrors.body(e);
    if (streamOpened) {
      reply.event("error", body);
      reply.end();
    } else {
      reply.json(e.status(), e.headers(), body);
    }
  }
}
