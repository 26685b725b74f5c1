package io.tollgate.v1;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a model list says that providers' own lists could not be had: a 502 when nothing else is known, so a
 * client does not take an empty list for "no models"; otherwise a warning header beside what is known.
 */
final class ModelListFailures {
  static final String WARNING_HEADER = "X-Tollgate-Warning";

  private ModelListFailures() {
  }

  /** The 502: every reason, each already naming its provider; one provider's failure keeps its code. */
  static GatewayException nothingListed(Map<String, GatewayException> failures) {
    String reasons = failures.values().stream().map(GatewayException::getMessage).collect(Collectors.joining(" "));
    ErrorType type = failures.size() == 1 ? upstreamType(failures.values().iterator().next())
        : ErrorType.UPSTREAM_ERROR;
    return GatewayException.upstream(type, 502, "No models can be listed: the model table names none and the"
        + " providers' own lists could not be fetched. " + reasons, null, null, Map.of());
  }

  /** One header line (ASCII, no secrets): "model lists unavailable from: main (credential rejected), ...". */
  static String warning(Map<String, GatewayException> failures) {
    return "model lists unavailable from: " + failures.entrySet().stream()
        .map(e -> "'" + e.getKey() + "' (" + reason(e.getValue()) + ")").collect(Collectors.joining(", "))
        + "; this list may be incomplete";
  }

  private static ErrorType upstreamType(GatewayException e) {
    return switch (e.type()) {
      case UPSTREAM_AUTH_ERROR, UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT -> e.type();
      default -> ErrorType.UPSTREAM_ERROR;
    };
  }

  private static String reason(GatewayException e) {
    return switch (e.type()) {
      case UPSTREAM_AUTH_ERROR -> "credential rejected";
      case UPSTREAM_UNREACHABLE -> "unreachable";
      case UPSTREAM_TIMEOUT -> "timed out";
      case RATE_LIMITED -> "rate limited";
      default -> "failed with HTTP " + e.status();
    };
  }
}
