package io.tollgate.failover;

import io.tollgate.error.GatewayException;
import io.tollgate.upstream.TransportException;
import io.tollgate.upstream.UpstreamException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What an attempt's failure says about its key and its target: a refused key (401/403 on a pooled key), a rate
 * limit (429, with how long the upstream asked to wait), the upstream failing (5xx, 408), the connection failing,
 * no room on this gateway's side, a timeout, a cancel, or the request itself being wrong (any other 4xx, or the
 * gateway's own refusal).
 */
record Failure(Kind kind, int status, Duration retryAfter) {
  /** The longest wait a Retry-After may impose on a key; a larger one is taken as this. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  /** LOCAL: this gateway had no room for the call (its connection queue to the upstream was full). */
  enum Kind { REJECTED_KEY, RATE_LIMITED, SERVER, CONNECTION, LOCAL, TIMEOUT, CANCELLED, CLIENT }

  static Failure of(Throwable error, boolean callerKey) {
    Throwable t = unwrap(error);
    if (t instanceof GatewayException g && (g.getCause() instanceof UpstreamException
        || g.getCause() instanceof TransportException)) {
      t = g.getCause();
    }
    if (t instanceof UpstreamException e) {
      int s = e.status();
      if (s == 401 || s == 403) {
        return new Failure(callerKey ? Kind.CLIENT : Kind.REJECTED_KEY, s, null);
      }
      if (s == 429) {
        return new Failure(Kind.RATE_LIMITED, s, e.headers().firstValue("retry-after").map(Failure::retryAfter)
            .orElse(null));
      }
      return new Failure(s >= 500 || s == 408 ? Kind.SERVER : Kind.CLIENT, s, null);
    }
    if (t instanceof TransportException e) {
      return switch (e.kind()) {
        case TIMEOUT, STALLED_MID_ANSWER -> new Failure(Kind.TIMEOUT, 504, null);
        case CANCELLED -> new Failure(Kind.CANCELLED, 0, null);
        case BUSY -> new Failure(Kind.LOCAL, 503, null);
        default -> new Failure(Kind.CONNECTION, 502, null);
      };
    }
    int status = t instanceof GatewayException g ? g.status() : 500;
    return new Failure(Kind.CLIENT, status, null);
  }

  /** Whether another attempt may absorb it; a timeout only when the operator asked for that. */
  boolean retriable(boolean onTimeout) {
    return switch (kind) {
      case REJECTED_KEY, RATE_LIMITED, CONNECTION, LOCAL -> true;
      case SERVER -> status == 500 || status == 502 || status == 503 || status == 504;
      case TIMEOUT -> onTimeout;
      case CANCELLED, CLIENT -> false;
    };
  }

  /** Whether it counts against the target's circuit breaker. */
  boolean targetFailed() {
    return kind == Kind.SERVER || kind == Kind.CONNECTION || kind == Kind.TIMEOUT;
  }

  /** Whether it says the target is up (the upstream answered, the request was wrong). */
  boolean targetAnswered() {
    return kind == Kind.CLIENT && status >= 400 && status < 500;
  }

  /** Seconds ("120", "1.5") or an HTTP date; null when it is neither. */
  static Duration retryAfter(String value) {
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      if (seconds >= 0 && !Double.isNaN(seconds)) {
        Duration d = Duration.ofMillis((long) Math.min(seconds * 1000, MAX_RETRY_AFTER.toMillis()));
        return d;
      }
      return null;
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d = Duration.between(ZonedDateTime.now(),
            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return d.isNegative() ? Duration.ZERO : d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
      } catch (RuntimeException notDate) {
        return null;
      }
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
