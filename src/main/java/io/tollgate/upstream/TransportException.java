package io.tollgate.upstream;

import io.tollgate.error.ErrorType;

/**
 * The exchange failed on the wire rather than with an HTTP status. It carries only the kind of failure: the client
 * library's own message dumps connection objects with local and remote addresses, which must reach no one. Whoever
 * knows the provider's name turns it into the client's error with {@link Kind#describe}.
 */
public final class TransportException extends RuntimeException {
  /** Each failure with what the client is told; {@code %s} is the provider's name. */
  public enum Kind {
    REFUSED(ErrorType.UPSTREAM_UNREACHABLE, "The upstream provider '%s' refused the connection."),
    UNKNOWN_HOST(ErrorType.UPSTREAM_UNREACHABLE, "The upstream provider '%s' could not be reached: its host name"
        + " does not resolve."),
    NO_ROUTE(ErrorType.UPSTREAM_UNREACHABLE, "The upstream provider '%s' could not be reached: no route to its host."),
    CONNECT_TIMEOUT(ErrorType.UPSTREAM_UNREACHABLE, "The upstream provider '%s' could not be reached in time."),
    TLS(ErrorType.UPSTREAM_UNREACHABLE, "The secure (TLS) connection to the upstream provider '%s' failed."),
    CLOSED_BEFORE_ANSWER(ErrorType.UPSTREAM_ERROR, "The upstream provider '%s' closed the connection before"
        + " answering."),
    CLOSED_MID_ANSWER(ErrorType.UPSTREAM_ERROR, "The upstream provider '%s' closed the connection in the middle of"
        + " its answer."),
    TIMEOUT(ErrorType.UPSTREAM_TIMEOUT, "The upstream provider '%s' did not answer in time."),
    STALLED_MID_ANSWER(ErrorType.UPSTREAM_TIMEOUT, "The upstream provider '%s' stopped sending in the middle of its"
        + " answer."),
    BUSY(ErrorType.SERVICE_UNAVAILABLE, "The upstream provider '%s' has too many requests in flight from this"
        + " gateway; try again shortly."),
    CANCELLED(ErrorType.UPSTREAM_ERROR, "The call to the upstream provider '%s' was cancelled."),
    OTHER(ErrorType.UPSTREAM_ERROR, "The connection to the upstream provider '%s' failed.");

    private final ErrorType type;
    private final String message;

    Kind(ErrorType type, String message) {
      this.type = type;
      this.message = message;
    }

    public ErrorType type() {
      return type;
    }

    public String describe(String provider) {
      return String.format(message, provider);
    }
  }

  private final Kind kind;

  TransportException(Kind kind) {
    super(kind.name(), null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
