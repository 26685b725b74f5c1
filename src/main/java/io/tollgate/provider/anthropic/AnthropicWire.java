package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.upstream.UpstreamException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The Messages API's addresses, headers and vocabulary (stop reasons, usage, error types) in OpenAI terms. */
final class AnthropicWire {
  /** The tool a {@code response_format} becomes; its input is the answer's JSON content, not a tool call. */
  static final String JSON_TOOL = "json_response";
  static final String DEFAULT_VERSION = "2023-06-01";

  private AnthropicWire() {
  }

  /** The request to send and whether the answer's {@link #JSON_TOOL} call is really its content. */
  record Outbound(ObjectNode body, boolean jsonTool) {
  }

  /** {@code {base_url}/v1/...}: the SDKs' base URL has no /v1, but one that already ends in /v1 is taken as is. */
  static URI uri(Route route, String path) {
    String base = route.baseUrl();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/v1")) {
      base = base.substring(0, base.length() - 3);
    }
    return URI.create(base + "/v1" + path);
  }

  static Map<String, String> headers(Route route) {
    return headers(route, null, null);
  }

  /**
   * The headers of a call; a client that speaks Anthropic's API itself may name its own version (its body is
   * written for it) and betas (added to the provider's).
   */
  static Map<String, String> headers(Route route, String clientVersion, String clientBeta) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (route.credential() != null) {
      headers.put("x-api-key", route.credential().reveal());
    }
    headers.put("anthropic-version", clientVersion != null && !clientVersion.isBlank() ? clientVersion.strip()
        : route.option("anthropic_version", DEFAULT_VERSION));
    Set<String> betas = new LinkedHashSet<>();
    for (String list : new String[] {route.option("anthropic_beta", null), clientBeta}) {
      if (list != null) {
        Arrays.stream(list.split(",")).map(String::strip).filter(b -> !b.isEmpty()).forEach(betas::add);
      }
    }
    if (!betas.isEmpty()) {
      headers.put("anthropic-beta", String.join(",", betas));
    }
    return headers;
  }

  /** OpenAI's finish_reason for a stop_reason; a forced JSON answer ends with "stop", not "tool_calls". */
  static String finishReason(String stopReason, boolean jsonTool) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> jsonTool ? "stop" : "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /** Cached prompt tokens count as prompt tokens too: Anthropic reports them apart from input_tokens. */
  private static ObjectNode usage(int input, int cacheRead, int cacheCreation, int output) {
    ObjectNode usage = Json.MAPPER.createObjectNode();
    int prompt = input + cacheRead + cacheCreation;
    usage.put("prompt_tokens", prompt).put("completion_tokens", output).put("total_tokens", prompt + output);
    if (cacheRead > 0) {
      usage.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
    }
    return usage;
  }

  static ObjectNode usage(JsonNode anthropicUsage) {
    return usage(anthropicUsage.path("input_tokens").asInt(0),
        anthropicUsage.path("cache_read_input_tokens").asInt(0),
        anthropicUsage.path("cache_creation_input_tokens").asInt(0),
        anthropicUsage.path("output_tokens").asInt(0));
  }

  /**
   * An {@code error} event inside a stream, mapped as the same error would be had it come as an HTTP status before
   * the stream began: overloaded (529) and api errors become 502 with the upstream's message, and so on.
   */
  static GatewayException streamError(JsonNode event, Route route) {
    JsonNode error = event.path("error");
    int status = switch (error.path("type").asText("")) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "overloaded_error" -> 529;
      default -> 500;
    };
    byte[] body = Json.bytes(event.has("error") ? event : Map.of("error", Map.of("message", "upstream error")));
    UpstreamException e = new UpstreamException(status, HttpHeaders.of(Map.of(), (name, value) -> true), body);
    return (GatewayException) UpstreamErrors.map(e, route);
  }
}
