package io.tollgate.admin.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How wide each point of /admin/stats/series is: a UTC minute, hour or day. Each has its own bound on the points
 * one call may ask for, so a chart's work stays bounded whatever the window.
 */
enum SeriesStep {
  MINUTE("minute", 60, 1_440, "1,440 minutes (24 hours)"),
  HOUR("hour", 3_600, 744, "744 hours (31 days)"),
  DAY("day", 86_400, 400, "400 days");

  /** auto: the finest step that still gives a chart a sensible number of points. */
  private static final Duration MINUTES_UP_TO = Duration.ofHours(6);
  private static final Duration HOURS_UP_TO = Duration.ofDays(7);

  private final String param;
  private final long seconds;
  private final int maxPoints;
  private final String bound;

  SeriesStep(String param, long seconds, int maxPoints, String bound) {
    this.param = param;
    this.seconds = seconds;
    this.maxPoints = maxPoints;
    this.bound = bound;
  }

  String param() {
    return param;
  }

  long seconds() {
    return seconds;
  }

  /** step: minute, hour (also when absent) or day; auto picks one by the window's length. */
  static SeriesStep parse(String step, TimeWindow window) {
    if (QueryParams.absent(step)) {
      return HOUR;
    }
    String name = step.strip().toLowerCase(Locale.ROOT);
    if (name.equals("auto")) {
      Duration length = Duration.between(window.from(), window.to());
      return length.compareTo(MINUTES_UP_TO) <= 0 ? MINUTE : length.compareTo(HOURS_UP_TO) <= 0 ? HOUR : DAY;
    }
    for (SeriesStep s : values()) {
      if (s.param.equals(name)) {
        return s;
      }
    }
    throw QueryParams.bad("step", "step must be minute, hour, day or auto, not '" + QueryParams.shorten(step) + "'");
  }

  /** The bucket of ts as whole steps since the epoch: the same on PostgreSQL and H2 whatever the time zone. */
  String bucketSql() {
    return "CAST(FLOOR(EXTRACT(EPOCH FROM ts) / " + seconds + ") AS BIGINT)";
  }

  Instant startOf(long bucket) {
    return Instant.ofEpochSecond(bucket * seconds);
  }

  /** The start of the bucket that holds t. */
  Instant bucketOf(Instant t) {
    return startOf(Math.floorDiv(t.getEpochSecond(), seconds));
  }

  /** Buckets from first to t's. */
  long index(Instant first, Instant t) {
    return (bucketOf(t).getEpochSecond() - first.getEpochSecond()) / seconds;
  }

  /** Whether the client named this step itself (not absent, not auto): then too many points is step's fault. */
  static boolean named(String step) {
    return !QueryParams.absent(step) && !step.strip().equalsIgnoreCase("auto");
  }

  /**
   * The number of points the window takes, its first and last buckets partly outside it as may be. Too many is a
   * 400 naming step when the client chose it, from (the window is too long) otherwise.
   */
  int points(TimeWindow window, boolean chosen) {
    long points = index(bucketOf(window.from()), window.to().minusNanos(1)) + 1;
    if (points > maxPoints) {
      String advice = this == DAY ? "" : ": choose a coarser step or a shorter window";
      throw QueryParams.bad(chosen ? "step" : "from", "a series by the " + param + " covers at most " + bound
          + "; from " + window.from() + " to " + window.to() + " is " + points + " " + param + "s" + advice);
    }
    return (int) points;
  }
}
