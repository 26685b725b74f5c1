package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.upstream.UpstreamException;
import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Gemini's errors ({@code {"error":{"code","message","status","details"}}}) read the gateway's way. Two of its
 * habits are undone first: a refused key comes as 400 {@code API_KEY_INVALID}, and the wait after a 429 is in a
 * {@code RetryInfo} detail rather than a Retry-After header.
 */
final class GeminiErrors {
  private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

  private GeminiErrors() {
  }

  static GatewayException map(Throwable error, Route route) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof UpstreamException e) {
      t = normalized(e);
    }
    return UpstreamErrors.map(t, route);
  }

  /** An error sent as an event inside a 200 stream, mapped as if it had been the status of the answer. */
  static GatewayException inStream(JsonNode error, Route route) {
    int status = error.path("code").canConvertToInt() ? error.path("code").asInt() : 500;
    byte[] body = Json.bytes(Json.MAPPER.createObjectNode().set("error", error));
    return map(new UpstreamException(status, HttpHeaders.of(Map.of(), (a, b) -> true), body), route);
  }

  private static UpstreamException normalized(UpstreamException e) {
    JsonNode details;
    try {
      details = Json.tree(e.body()).at("/error/details");
    } catch (Exception notJson) {
      return e;
    }
    if (e.status() == 400 && hasReason(details, "API_KEY_INVALID")) {
      return new UpstreamException(401, e.headers(), e.body());
    }
    if (e.status() == 429 && e.headers().firstValue("retry-after").isEmpty()) {
      for (JsonNode d : details) {
        String delay = RETRY_INFO.equals(d.path("@type").asText()) ? d.path("retryDelay").asText("") : "";
        if (delay.matches("\\d+(\\.\\d+)?s")) {
          long seconds = (long) Math.ceil(Double.parseDouble(delay.substring(0, delay.length() - 1)));
          Map<String, List<String>> headers = new HashMap<>(e.headers().map());
          headers.put("retry-after", List.of(Long.toString(seconds)));
          return new UpstreamException(429, HttpHeaders.of(headers, (a, b) -> true), e.body());
        }
      }
    }
    return e;
  }

  private static boolean hasReason(JsonNode details, String reason) {
    for (JsonNode d : details) {
      if (reason.equals(d.path("reason").asText())) {
        return true;
      }
    }
    return false;
  }
}
