package io.tollgate.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.upstream.TransportException;
import io.tollgate.upstream.UpstreamException;
import java.util.Map;

/**
 * An upstream's own error, re-issued to the client: its message is kept; 4xx keep their status (429 with
 * Retry-After) except 401/403 on a pooled key, which are the gateway's credential failing and become 502; 5xx
 * become 502.
 */
public final class UpstreamErrors {
  private UpstreamErrors() {
  }

  /** Any failure of an upstream call, as the one exception the client's answer is made from. */
  public static GatewayException map(Throwable error, Route route) {
    Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (t instanceof UpstreamException e) {
      return map(e, route);
    }
    if (t instanceof TransportException e) {
      return GatewayException.caused(e.kind().type(), e.kind().describe(route.provider()), e);
    }
    if (t instanceof GatewayException g) {
      return g;
    }
    return GatewayException.caused(ErrorType.INTERNAL,
        "Unexpected failure calling the upstream provider '" + route.provider() + "'.", t);
  }

  static GatewayException map(UpstreamException e, Route route) {
    int status = e.status();
    Detail d = Detail.of(e).scrubbed(route);
    if ((status == 401 || status == 403) && !route.passthrough()) {
      // The upstream's own words here often quote the key it refused; they stay out of the answer and the logs.
      return GatewayException.upstream(ErrorType.UPSTREAM_AUTH_ERROR, 502,
          named(route) + " rejected the gateway's credential (HTTP " + status + ").", null, null, Map.of(), e);
    }
    if (status == 429) {
      String retryAfter = e.headers().firstValue("retry-after").orElse(null);
      return GatewayException.upstream(ErrorType.RATE_LIMITED, 429, d.message, d.param, d.code,
          retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter), e);
    }
    if (status >= 400 && status < 500) {
      ErrorType type = status == 401 ? ErrorType.INVALID_API_KEY
          : status == 403 ? ErrorType.PERMISSION_DENIED
          : status == 404 ? ErrorType.NOT_FOUND : ErrorType.UPSTREAM_CLIENT_ERROR;
      return GatewayException.upstream(type, status, d.message, d.param, d.code, Map.of(), e);
    }
    return GatewayException.upstream(ErrorType.UPSTREAM_ERROR, 502,
        named(route) + " failed (HTTP " + status + "): " + d.message, null, null, Map.of(), e);
  }

  /** "The upstream provider 'main'", the one way a message names the upstream. */
  private static String named(Route route) {
    return "The upstream provider '" + route.provider() + "'";
  }

  /** The parts of an upstream error body worth keeping; a numeric code other than the status goes into the message. */
  private record Detail(String message, String param, String code) {
    /** Upstreams may echo the credential they were sent; it never travels further. */
    Detail scrubbed(Route route) {
      if (route.credential() == null || route.credential().reveal().length() < 4
          || !message.contains(route.credential().reveal())) {
        return this;
      }
      return new Detail(message.replace(route.credential().reveal(), "***"), param, code);
    }

    static Detail of(UpstreamException e) {
      JsonNode error = null;
      try {
        JsonNode root = Json.tree(e.body());
        error = root == null ? null : root.get("error");
        if (error != null && error.isTextual()) {
          return new Detail(error.asText(), null, null);
        }
        if (error == null && root != null && root.has("message")) {
          error = root;
        }
      } catch (Exception notJson) {
        // fall through to the raw text below
      }
      if (error == null || !error.has("message")) {
        String text = e.bodyText().strip();
        return new Detail(text.isEmpty() ? "HTTP " + e.status()
            : text.substring(0, Math.min(text.length(), 500)), null, null);
      }
      String message = error.path("message").asText();
      JsonNode code = error.get("code");
      String stringCode = null;
      if (code != null && code.isNumber()) {
        if (code.asInt() != e.status()) {
          message = message + " (upstream code " + code.asText() + ")";
        }
        // Google's APIs put the HTTP status in "code" and their own error name in "status".
        JsonNode status = error.get("status");
        stringCode = status != null && status.isTextual() ? status.asText() : null;
      } else if (code != null && code.isTextual()) {
        stringCode = code.asText();
      }
      JsonNode param = error.get("param");
      return new Detail(message, param != null && param.isTextual() ? param.asText() : null, stringCode);
    }
  }
}
