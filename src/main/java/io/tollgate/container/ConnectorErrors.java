package io.tollgate.container;

/**
 * OpenAI's error envelope for what a container answers before any webapp sees the request (a head past the
 * connector's limits, a request line it cannot parse): these classes run on the container's class loader, outside
 * the WAR, so they carry no JSON library. Each body is made of the constants below only, nothing from the request.
 */
final class ConnectorErrors {
  private ConnectorErrors() {
  }

  /** The body for an error status, {@code {"error":{"message","type","param","code"}}} as the webapp writes it. */
  static String json(int status) {
    String code = switch (status) {
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 413 -> "request_too_large";
      case 414 -> "uri_too_long";
      case 431 -> "request_header_too_large";
      case 503 -> "service_unavailable";
      default -> null;
    };
    return "{\"error\":{\"message\":\"" + message(status) + "\",\"type\":\""
        + (status < 500 ? "invalid_request_error" : "server_error") + "\",\"param\":null,\"code\":"
        + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  private static String message(int status) {
    return switch (status) {
      case 400 -> "The request could not be understood.";
      case 404 -> "Unknown path; GET / lists the endpoints.";
      case 405 -> "Method not allowed here.";
      case 408 -> "The request did not arrive within the time allowed.";
      case 413 -> "The request is too large.";
      case 414 -> "The request URI is too long.";
      case 431 -> "The request headers are too large: the request line and headers must fit in the server's limit"
          + " (8 KB by default).";
      case 503 -> "The gateway is not ready to serve requests.";
      default -> status < 500 ? "The request was refused (HTTP " + status + ")."
          : "The server failed to handle this request (HTTP " + status + ").";
    };
  }
}
