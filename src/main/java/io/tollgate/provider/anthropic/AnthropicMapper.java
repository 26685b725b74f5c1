package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.Route;
import java.time.Instant;
import java.util.Map;

/**
 * OpenAI chat and legacy completion requests as Anthropic Messages requests, and Messages answers back as
 * {@code chat.completion} or {@code text_completion}. Pure functions over JSON trees. OpenAI's {@code seed},
 * {@code logprobs}, penalties and {@code logit_bias} have no Anthropic counterpart and are not sent.
 */
final class AnthropicMapper {
  static final int DEFAULT_MAX_TOKENS = 4096;
  /** Anthropic's smallest thinking budget is 1024 tokens. */
  private static final Map<String, Integer> BUDGETS = Map.of("minimal", 1024, "low", 1024, "medium", 4096,
      "high", 16384);

  private AnthropicMapper() {
  }

  static AnthropicWire.Outbound toMessages(Route route, OpenAiRequest request) {
    ObjectNode body = request.body();
    ObjectNode out = Json.MAPPER.createObjectNode().put("model", route.upstreamModel());
    if (request.endpoint() == Endpoint.COMPLETIONS) {
      out.putArray("messages").addObject().put("role", "user").put("content", prompt(body.get("prompt")));
    } else {
      AnthropicMessages.into(out, body.get("messages"));
    }
    sampling(out, body);
    boolean jsonTool = request.endpoint() == Endpoint.CHAT && AnthropicTools.into(out, body);
    thinking(out, body, maxTokens(route, body));
    String user = body.path("user").asText(body.path("safety_identifier").asText(""));
    if (!user.isEmpty()) {
      out.putObject("metadata").put("user_id", user);
    }
    if (request.stream()) {
      out.put("stream", true);
    }
    return new AnthropicWire.Outbound(out, jsonTool);
  }

  private static String prompt(JsonNode prompt) {
    if (prompt.isTextual()) {
      return prompt.asText();
    }
    if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
      return prompt.get(0).asText();
    }
    throw AnthropicMessages.invalid("provider type anthropic takes one prompt, as a string", "prompt");
  }

  private static void sampling(ObjectNode out, ObjectNode body) {
    if (body.path("n").asInt(1) > 1) {
      throw AnthropicMessages.invalid("provider type anthropic gives one choice per request; 'n' must be 1", "n");
    }
    if (body.path("temperature").isNumber()) {
      // OpenAI's range is 0 to 2, Anthropic's 0 to 1.
      out.put("temperature", Math.min(1.0, Math.max(0.0, body.get("temperature").asDouble())));
    }
    if (body.path("top_p").isNumber()) {
      out.set("top_p", body.get("top_p"));
    }
    if (body.path("top_k").isIntegralNumber()) {
      out.set("top_k", body.get("top_k"));
    }
    JsonNode stop = body.get("stop");
    ArrayNode sequences = Json.MAPPER.createArrayNode();
    if (stop != null && stop.isTextual()) {
      addStop(sequences, stop.asText());
    } else if (stop != null && stop.isArray()) {
      stop.forEach(s -> addStop(sequences, s.asText("")));
    }
    if (!sequences.isEmpty()) {
      out.set("stop_sequences", sequences);
    }
  }

  private static void addStop(ArrayNode sequences, String stop) {
    if (!stop.isBlank()) { // Anthropic refuses whitespace-only stop sequences
      sequences.add(stop);
    }
  }

  private static int maxTokens(Route route, ObjectNode body) {
    for (String name : new String[] {"max_completion_tokens", "max_tokens"}) {
      if (body.path(name).canConvertToInt() && body.get(name).asInt() > 0) {
        return body.get(name).asInt();
      }
    }
    int fallback;
    try {
      fallback = Integer.parseInt(route.option("default_max_tokens", Integer.toString(DEFAULT_MAX_TOKENS)).strip());
    } catch (NumberFormatException e) {
      fallback = DEFAULT_MAX_TOKENS;
    }
    // Anthropic needs max_tokens; the default the gateway adds must not pass the model entry's own cap.
    Integer cap = route.capabilities().maxTokens();
    return cap == null ? fallback : Math.min(fallback, cap);
  }

  /**
   * {@code reasoning_effort} as a thinking budget (or Anthropic's own {@code thinking}, passed as given). Anthropic
   * refuses thinking together with a forced tool, so a forced tool or JSON answer wins; and it refuses temperature,
   * top_k and a top_p below 0.95 with thinking, so those go. The budget counts against max_tokens: an answer that
   * would have no room left gets the budget on top.
   */
  private static void thinking(ObjectNode out, ObjectNode body, int maxTokens) {
    ObjectNode thinking = null;
    if (body.path("thinking").isObject()) {
      thinking = body.get("thinking").deepCopy();
    } else if (BUDGETS.containsKey(body.path("reasoning_effort").asText(""))) {
      thinking = Json.MAPPER.createObjectNode().put("type", "enabled")
          .put("budget_tokens", BUDGETS.get(body.get("reasoning_effort").asText()));
    }
    String forced = out.path("tool_choice").path("type").asText("");
    if (thinking == null || forced.equals("any") || forced.equals("tool")) {
      out.put("max_tokens", maxTokens);
      return;
    }
    out.set("thinking", thinking);
    int budget = thinking.path("budget_tokens").asInt(0);
    out.put("max_tokens", maxTokens <= budget ? budget + maxTokens : maxTokens);
    if ("enabled".equals(thinking.path("type").asText())) {
      out.remove("temperature");
      out.remove("top_k");
      if (out.path("top_p").asDouble(1) < 0.95) {
        out.remove("top_p");
      }
    }
  }

  static ObjectNode toChatCompletion(JsonNode message, boolean jsonTool, String model, long created) {
    ObjectNode root = head(message, "chat.completion", model, created);
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> reasoning.append(block.path("thinking").asText());
        case "tool_use" -> {
          String input = Json.string(block.path("input").isMissingNode() ? Map.of() : block.get("input"));
          if (jsonTool && AnthropicWire.JSON_TOOL.equals(block.path("name").asText())) {
            text.append(input);
          } else {
            ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
            call.putObject("function").put("name", block.path("name").asText()).put("arguments", input);
          }
        }
        default -> { } // redacted thinking and server tool blocks have no OpenAI form
      }
    }
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    ObjectNode out = choice.putObject("message").put("role", "assistant");
    if (text.length() > 0 || calls.isEmpty()) {
      out.put("content", text.toString());
    } else {
      out.putNull("content");
    }
    out.putNull("refusal");
    if (!calls.isEmpty()) {
      out.set("tool_calls", calls);
    }
    if (reasoning.length() > 0) {
      out.put("reasoning_content", reasoning.toString());
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", AnthropicWire.finishReason(message.path("stop_reason").asText(null), jsonTool));
    root.set("usage", AnthropicWire.usage(message.path("usage")));
    return root;
  }

  static ObjectNode toTextCompletion(JsonNode message, String model, long created) {
    ObjectNode root = head(message, "text_completion", model, created);
    StringBuilder text = new StringBuilder();
    message.path("content").forEach(b -> text.append("text".equals(b.path("type").asText()) ? b.path("text").asText() : ""));
    String finish = AnthropicWire.finishReason(message.path("stop_reason").asText(null), false);
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0).put("text", text.toString());
    choice.putNull("logprobs");
    choice.put("finish_reason", finish.equals("tool_calls") ? "stop" : finish);
    root.set("usage", AnthropicWire.usage(message.path("usage")));
    return root;
  }

  private static ObjectNode head(JsonNode message, String object, String model, long created) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", message.path("id").asText(Ids.random(object.equals("text_completion") ? "cmpl-" : "chatcmpl-")));
    root.put("object", object).put("created", created).put("model", message.path("model").asText(model));
    return root;
  }

  /** Anthropic's {@code GET /v1/models} page as an OpenAI model list. */
  static ObjectNode toModelList(JsonNode page) {
    ObjectNode root = Json.MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (JsonNode m : page.path("data")) {
      long created = 0;
      try {
        created = Instant.parse(m.path("created_at").asText()).getEpochSecond();
      } catch (RuntimeException unparsable) {
        // leave 0
      }
      data.addObject().put("id", m.path("id").asText()).put("object", "model").put("created", created)
          .put("owned_by", "anthropic");
    }
    return root;
  }
}
