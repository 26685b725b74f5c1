package io.tollgate.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets the request log older than the retention: on PostgreSQL by dropping each daily partition whose whole
 * day is older, and deleting old rows left in the default partitions; on H2 by deleting rows in batches. The
 * rollups of those hours go too, so stats never count what the log no longer holds.
 */
public final class LogRetention {
  private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
  /** Rows per DELETE, so no statement holds its locks or its undo for long. */
  static final int BATCH = 10_000;

  private final DataSource dataSource;
  private final boolean postgres;

  public LogRetention(DataSource dataSource, boolean postgres) {
    this.dataSource = dataSource;
    this.postgres = postgres;
  }

  /** What one run did. */
  public record Outcome(boolean ran, List<String> dropped, long deletedRows) {
  }

  /** Forgets everything older than {@code cutoff}; does nothing if another instance is at it. */
  public Outcome run(Instant cutoff) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!ChoreLock.tryTake(c, postgres, ChoreLock.RETENTION)) {
        return new Outcome(false, List.of(), 0);
      }
      try {
        List<String> dropped = postgres ? dropPartitions(c, cutoff) : List.of();
        String suffix = postgres ? "_default" : "";
        long deleted = deleteBefore(c, "usage_log" + suffix, "ts", cutoff)
            + deleteBefore(c, "usage_bodies" + suffix, "ts", cutoff);
        deleteBefore(c, "usage_hourly", "hour_start", cutoff);
        if (!dropped.isEmpty() || deleted > 0) {
          LOG.info("request log retention: dropped partitions {}, deleted {} rows older than {}", dropped, deleted,
              cutoff);
        }
        return new Outcome(true, dropped, deleted);
      } finally {
        ChoreLock.release(c, postgres, ChoreLock.RETENTION);
      }
    }
  }

  private static List<String> dropPartitions(Connection c, Instant cutoff) throws SQLException {
    LocalDate lastWholeDay = LocalDate.ofInstant(cutoff, ZoneOffset.UTC).minusDays(1);
    List<String> dropped = new ArrayList<>();
    for (String table : LogPartitions.TABLES) {
      for (String partition : LogPartitions.partitions(c, table)) {
        LocalDate day = LogPartitions.day(table, partition);
        if (day != null && !day.isAfter(lastWholeDay)) {
          try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + partition);
          }
          dropped.add(partition);
        }
      }
    }
    return dropped;
  }

  /** Deletes rows before the cutoff, BATCH at a time, each batch its own statement and commit. */
  private long deleteBefore(Connection c, String table, String column, Instant cutoff) throws SQLException {
    String sql = postgres
        ? "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE " + column
            + " < ? LIMIT " + BATCH + ")"
        : "DELETE FROM " + table + " WHERE " + column + " < ? LIMIT " + BATCH;
    long total = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
      int n;
      do {
        n = ps.executeUpdate();
        total += n;
      } while (n == BATCH);
    }
    return total;
  }
}
