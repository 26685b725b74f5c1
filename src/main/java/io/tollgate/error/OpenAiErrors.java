package io.tollgate.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Renders every error a client sees as OpenAI's envelope {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {
  private OpenAiErrors() {
  }

  public static byte[] body(GatewayException e) {
    return body(e.getMessage(), e.type().type(), e.param(), e.code());
  }

  public static byte[] body(String message, String type, String param, String code) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return Json.bytes(root);
  }

  /** For filters and servlets, which JAX-RS exception mappers never see. */
  public static void write(HttpServletResponse response, GatewayException e) throws IOException {
    send(response, e, body(e));
  }

  /** An error answer with this body, in place of whatever was buffered; nothing once the response is committed. */
  static void send(HttpServletResponse response, GatewayException e, byte[] body) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(e.status());
    e.headers().forEach(response::setHeader);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
