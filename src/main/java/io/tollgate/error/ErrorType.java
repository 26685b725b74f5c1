package io.tollgate.error;

/** Each failure a client can see, with its HTTP status, OpenAI error type and code fixed together. */
public enum ErrorType {
  INVALID_REQUEST(400, "invalid_request_error", null),
  INVALID_JSON(400, "invalid_request_error", "invalid_json"),
  MISSING_API_KEY(401, "invalid_request_error", "missing_api_key"),
  INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key"),
  KEY_EXPIRED(401, "invalid_request_error", "expired_api_key"),
  PERMISSION_DENIED(403, "permission_error", "permission_denied"),
  MODEL_NOT_ALLOWED(403, "permission_error", "model_not_allowed"),
  ADDRESS_NOT_ALLOWED(403, "permission_error", "ip_not_allowed"),
  NOT_FOUND(404, "invalid_request_error", "not_found"),
  MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
  METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
  REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout"),
  CONFLICT(409, "invalid_request_error", "conflict"),
  REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type"),
  RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded"),
  /** A client key's own rate limit (the gateway's, not an upstream's), as OpenAI words its own. */
  LIMIT_EXCEEDED(429, "rate_limit_exceeded", "rate_limit_exceeded"),
  /** Too many failed key checks from one client address (AUTH_FAILURE_LIMIT). */
  AUTH_FAILURES(429, "rate_limit_error", "too_many_failed_attempts"),
  QUOTA_EXCEEDED(429, "insufficient_quota", "insufficient_quota"),
  UPSTREAM_CLIENT_ERROR(400, "invalid_request_error", null),
  UPSTREAM_ERROR(502, "upstream_error", "bad_gateway"),
  UPSTREAM_AUTH_ERROR(502, "upstream_error", "upstream_auth_error"),
  UPSTREAM_UNREACHABLE(502, "upstream_error", "upstream_unreachable"),
  UPSTREAM_TIMEOUT(504, "upstream_error", "upstream_timeout"),
  SERVICE_UNAVAILABLE(503, "server_error", "service_unavailable"),
  INTERNAL(500, "server_error", "internal_error");

  private final int status;
  private final String type;
  private final String code;

  ErrorType(int status, String type, String code) {
    this.status = status;
    this.type = type;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }
}
