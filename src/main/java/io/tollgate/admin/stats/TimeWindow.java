package io.tollgate.admin.stats;

import java.time.Duration;
import java.time.Instant;

/**
 * Which requests a query covers, by when they started: from (inclusive) to (exclusive). Either end may be open
 * (null) for log search; stats always have both.
 */
record TimeWindow(Instant from, Instant to) {
  static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  /** The last 24 hours unless told otherwise: from alone runs to now, to alone starts 24 hours before it. */
  static TimeWindow forStats(String from, String to, Instant now) {
    Instant end = QueryParams.absent(to) ? null : QueryParams.instant(to, "to", true);
    Instant start = QueryParams.absent(from) ? null : QueryParams.instant(from, "from", false);
    if (end == null) {
      end = now;
    }
    if (start == null) {
      start = end.minus(DEFAULT_SPAN);
    }
    return checked(start, end);
  }

  /** Log search: open at both ends unless told otherwise. */
  static TimeWindow forLogs(String from, String to) {
    Instant start = QueryParams.absent(from) ? null : QueryParams.instant(from, "from", false);
    Instant end = QueryParams.absent(to) ? null : QueryParams.instant(to, "to", true);
    return start != null && end != null ? checked(start, end) : new TimeWindow(start, end);
  }

  private static TimeWindow checked(Instant start, Instant end) {
    if (!start.isBefore(end)) {
      throw QueryParams.bad("from", "from must be before to (from " + start + ", to " + end + ")");
    }
    return new TimeWindow(start, end);
  }
}
