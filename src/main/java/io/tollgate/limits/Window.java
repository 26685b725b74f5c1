package io.tollgate.limits;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * A fixed counting window in epoch seconds: the minute or hour for rate limits, the calendar day, week (from
 * Monday) or month in UTC for a quota, or all time (start 0, no end) for a quota that never resets.
 */
record Window(long start, long end) {
  static final long FOREVER = Long.MAX_VALUE;

  static Window of(Metric metric, String period, long nowSeconds) {
    return switch (metric) {
      case RPM, TPM -> fixed(nowSeconds, 60);
      case RPH -> fixed(nowSeconds, 3600);
      case TOKENS, USD -> calendar(period, nowSeconds);
    };
  }

  /** Whole seconds until the window ends (at least 1), or -1 for a window that never ends. */
  long secondsLeft(long nowSeconds) {
    return end == FOREVER ? -1 : Math.max(1, end - nowSeconds);
  }

  private static Window fixed(long now, long length) {
    long start = now - Math.floorMod(now, length);
    return new Window(start, start + length);
  }

  private static Window calendar(String period, long now) {
    if (period == null) {
      return new Window(0, FOREVER);
    }
    LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(now, 86_400));
    LocalDate first;
    LocalDate next;
    switch (period) {
      case "day" -> {
        first = today;
        next = today.plusDays(1);
      }
      case "week" -> {
        first = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        next = first.plusWeeks(1);
      }
      case "month" -> {
        first = today.withDayOfMonth(1);
        next = first.plusMonths(1);
      }
      default -> throw new IllegalArgumentException("unknown quota period " + period);
    }
    return new Window(first.atStartOfDay(ZoneOffset.UTC).toEpochSecond(),
        next.atStartOfDay(ZoneOffset.UTC).toEpochSecond());
  }
}
