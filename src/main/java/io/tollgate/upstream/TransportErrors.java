package io.tollgate.upstream;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/** Maps what went wrong on the wire to what the client sees: unreachable 502, timeout 504, anything else 502. */
final class TransportErrors {
  private TransportErrors() {
  }

  static RuntimeException map(Throwable t, String target) {
    Throwable cause = unwrap(t);
    if (cause instanceof GatewayException || cause instanceof UpstreamException) {
      return (RuntimeException) cause;
    }
    // Jetty's client reports a connect timeout as SocketTimeoutException, and an idle read as TimeoutException.
    if (cause instanceof SocketTimeoutException || cause instanceof ConnectException
        || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException
        || cause instanceof UnresolvedAddressException) {
      return GatewayException.caused(ErrorType.UPSTREAM_UNREACHABLE, "upstream " + target + " is unreachable", cause);
    }
    if (cause instanceof RejectedExecutionException) {
      // Jetty's message names its internals; the operator's knob is MAX_CONNECTIONS.
      return GatewayException.caused(ErrorType.SERVICE_UNAVAILABLE,
          "too many requests in flight to upstream " + target + "; try again shortly", cause);
    }
    if (cause instanceof TimeoutException) {
      return timeout(target);
    }
    if (cause instanceof CancellationException) {
      return GatewayException.caused(ErrorType.UPSTREAM_ERROR, "upstream call to " + target + " was cancelled", cause);
    }
    return GatewayException.caused(ErrorType.UPSTREAM_ERROR,
        "upstream " + target + " failed: " + describe(cause), cause);
  }

  static GatewayException timeout(String target) {
    return GatewayException.of(ErrorType.UPSTREAM_TIMEOUT, "upstream " + target + " did not answer in time");
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? "connection closed unexpectedly" : message;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
