package io.tollgate.error;

import java.util.Map;

/**
 * The one exception a request fails with. The status is the type's unless an upstream's own 4xx is kept;
 * headers (such as an upstream's Retry-After) go to the client with the error.
 */
public final class GatewayException extends RuntimeException {
  private final ErrorType type;
  private final String param;
  private final int status;
  private final String code;
  private final Map<String, String> headers;

  private GatewayException(ErrorType type, String message, String param, int status, String code,
      Map<String, String> headers, Throwable cause) {
    super(message, cause, false, false);
    this.type = type;
    this.param = param;
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  public static GatewayException of(ErrorType type, String message) {
    return new GatewayException(type, message, null, type.status(), type.code(), Map.of(), null);
  }

  /** With headers for the client, such as a refused request's Retry-After. */
  public static GatewayException of(ErrorType type, String message, Map<String, String> headers) {
    return new GatewayException(type, message, null, type.status(), type.code(), Map.copyOf(headers), null);
  }

  public static GatewayException param(ErrorType type, String message, String param) {
    return new GatewayException(type, message, param, type.status(), type.code(), Map.of(), null);
  }

  public static GatewayException caused(ErrorType type, String message, Throwable cause) {
    return new GatewayException(type, message, null, type.status(), type.code(), Map.of(), cause);
  }

  /** An upstream's own error, keeping the status it chose and its code when that was a string. */
  public static GatewayException upstream(ErrorType type, int status, String message, String param, String code,
      Map<String, String> headers) {
    return upstream(type, status, message, param, code, headers, null);
  }

  /** As above, keeping the upstream's own failure, which says whether another attempt may absorb it. */
  public static GatewayException upstream(ErrorType type, int status, String message, String param, String code,
      Map<String, String> headers, Throwable cause) {
    return new GatewayException(type, message, param, status, code == null ? type.code() : code, headers, cause);
  }

  public ErrorType type() {
    return type;
  }

  public String param() {
    return param;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
