package io.tollgate.upstream;

import io.tollgate.error.GatewayException;
import io.tollgate.upstream.TransportException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sorts what went wrong on the wire into a {@link Kind}; the exception itself goes no further than DEBUG. */
final class TransportErrors {
  private static final Logger LOG = LoggerFactory.getLogger(TransportErrors.class);

  private TransportErrors() {
  }

  /** {@code answering}: the upstream's status line had arrived, so a drop or a silence came mid-answer. */
  static RuntimeException map(Throwable t, boolean answering) {
    Throwable cause = unwrap(t);
    if (cause instanceof GatewayException || cause instanceof UpstreamException
        || cause instanceof TransportException) {
      return (RuntimeException) cause;
    }
    Kind kind = kind(cause, answering);
    LOG.debug("upstream exchange failed ({})", kind, cause);
    return new TransportException(kind);
  }

  private static Kind kind(Throwable cause, boolean answering) {
    // Jetty's client reports a connect timeout as SocketTimeoutException, and an idle read as TimeoutException.
    if (cause instanceof ConnectException) {
      return Kind.REFUSED;
    }
    if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
      return Kind.UNKNOWN_HOST;
    }
    if (cause instanceof NoRouteToHostException) {
      return Kind.NO_ROUTE;
    }
    if (cause instanceof SocketTimeoutException) {
      return Kind.CONNECT_TIMEOUT;
    }
    if (cause instanceof SSLException) {
      return Kind.TLS;
    }
    if (cause instanceof TimeoutException) {
      return answering ? Kind.STALLED_MID_ANSWER : Kind.TIMEOUT;
    }
    if (cause instanceof RejectedExecutionException) {
      return Kind.BUSY;
    }
    if (cause instanceof CancellationException) {
      return Kind.CANCELLED;
    }
    if (cause instanceof IOException) {
      // EOF, reset, broken pipe, a closed channel: the peer went away.
      return answering ? Kind.CLOSED_MID_ANSWER : Kind.CLOSED_BEFORE_ANSWER;
    }
    return Kind.OTHER;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
