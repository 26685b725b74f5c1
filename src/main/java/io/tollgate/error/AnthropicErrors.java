package io.tollgate.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Renders an error in Anthropic's shape {@code {"type":"error","error":{"type","message"}}}, for clients of
 * {@code /v1/messages}: the body of an error answer and the data of a started stream's {@code error} event.
 */
public final class AnthropicErrors {
  private AnthropicErrors() {
  }

  public static byte[] body(GatewayException e) {
    ObjectNode root = Json.MAPPER.createObjectNode().put("type", "error");
    root.putObject("error").put("type", type(e.status())).put("message", e.getMessage());
    return Json.bytes(root);
  }

  /** Anthropic's error types by status, as its API documents them. */
  public static String type(int status) {
    return switch (status) {
      case 400, 405, 408, 409, 415, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  /** For filters and servlets, which JAX-RS exception mappers never see; the same contract as OpenAiErrors.write. */
  public static void write(HttpServletResponse response, GatewayException e) throws IOException {
    OpenAiErrors.send(response, e, body(e));
  }
}
