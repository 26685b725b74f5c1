package io.tollgate.failover;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.time.Duration;
import java.util.Map;

/**
 * What the failed attempts of one request leave for its client: the last error, or, when every attempt was rate
 * limited, a 429 that asks for the shortest wait any upstream asked for. Used under the {@link Attempts} monitor.
 */
final class Failures {
  private GatewayException last;
  private boolean onlyRateLimited = true;
  private Duration shortestWait;

  void add(Failure why, GatewayException shown) {
    last = shown;
    if (why.kind() != Failure.Kind.RATE_LIMITED) {
      onlyRateLimited = false;
    } else if (why.retryAfter() != null && (shortestWait == null || why.retryAfter().compareTo(shortestWait) < 0)) {
      shortestWait = why.retryAfter();
    }
  }

  /** The last failure's error, or null before any. */
  GatewayException last() {
    return last;
  }

  /** The client's error once no attempt is left. */
  GatewayException toClient() {
    if (last == null) {
      return GatewayException.of(ErrorType.SERVICE_UNAVAILABLE, "No upstream could take the request.");
    }
    if (onlyRateLimited && last.status() == 429 && shortestWait != null) {
      long seconds = Math.max(1, (shortestWait.toMillis() + 999) / 1000);
      return GatewayException.upstream(last.type(), 429, last.getMessage(), last.param(), last.code(),
          Map.of("Retry-After", Long.toString(seconds)), last.getCause());
    }
    return last;
  }

  /** The request's total time ran out between attempts. */
  GatewayException outOfTime(String model, Duration limit, int attempts) {
    return GatewayException.of(ErrorType.UPSTREAM_TIMEOUT, "No upstream answered the model '" + model
        + "' within the request's time limit (TOTAL_TIMEOUT, " + limit.toSeconds() + " s) over " + attempts
        + " attempt" + (attempts == 1 ? "" : "s") + "; the last said: "
        + (last == null ? "nothing" : last.getMessage()));
  }
}
