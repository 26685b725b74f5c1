package io.tollgate.retention;

import io.tollgate.config.LogConfig;
import io.tollgate.housekeeping.Housekeeping;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The request log's background chores on the housekeeping thread: on PostgreSQL, today's and the next
 * {@link #DAYS_AHEAD} days' partitions at start and every six hours; retention soon after start and hourly (unless
 * LOG_RETENTION_DAYS is 0); the hourly rollup every ten minutes, first a few minutes after start.
 */
public final class LogChores {
  static final int DAYS_AHEAD = 4;
  static final Duration RETENTION_FIRST = Duration.ofMinutes(2);
  static final Duration ROLLUP_FIRST = Duration.ofMinutes(5);

  private LogChores() {
  }

  public static void start(Housekeeping housekeeping, DataSource dataSource, boolean postgres, LogConfig config,
      Clock clock) {
    if (postgres) {
      LogPartitions partitions = new LogPartitions(dataSource);
      housekeeping.every("log partitions", Duration.ZERO, Duration.ofHours(6),
          unchecked(() -> partitions.createAhead(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), DAYS_AHEAD)));
    }
    if (config.retentionDays() > 0) {
      LogRetention retention = new LogRetention(dataSource, postgres);
      Duration kept = Duration.ofDays(config.retentionDays());
      housekeeping.every("log retention", RETENTION_FIRST, Duration.ofHours(1),
          unchecked(() -> retention.run(clock.instant().minus(kept))));
    }
    HourlyRollup rollup = new HourlyRollup(dataSource, postgres);
    housekeeping.every("log rollup", ROLLUP_FIRST, Duration.ofMinutes(10),
        unchecked(() -> rollup.run(clock.instant())));
  }

  private interface SqlChore {
    void run() throws SQLException;
  }

  private static Runnable unchecked(SqlChore chore) {
    return () -> {
      try {
        chore.run();
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    };
  }
}
