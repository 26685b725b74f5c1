package io.tollgate.retention;

import io.tollgate.persistence.JdbcTransaction;
import io.tollgate.usage.ApiRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Sums the API rows of each closed hour into usage_hourly, one row per (model, key, user, provider, status), and
 * moves the watermark usage_rollup_state.rolled_until past it. An hour is closed {@link #GRACE} after it ends, so
 * rows written late (a request is logged at its start time when it ends) are in. Each run also recomputes the last
 * {@link #REROLL} of rolled hours, for requests that took longer than the grace. Recomputing an hour is one
 * transaction: DELETE its rollup rows, INSERT them anew.
 */
public final class HourlyRollup {
  public static final Duration GRACE = Duration.ofMinutes(5);
  public static final Duration REROLL = Duration.ofHours(2);
  /** Hours one run rolls at most, so catching up on a large log never holds the housekeeping thread for long. */
  static final int MAX_HOURS_PER_RUN = 48;
  public static final String GROUP = "model, key_id, key_name, user_id, provider, status";
  private static final String SUMS = "SELECT " + GROUP + ", " + LatencyHistogram.bucketSql("latency_ms")
      + " AS bucket, COUNT(*) AS n, SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c, SUM(cached_tokens) AS ca,"
      + " SUM(reasoning_tokens) AS r, SUM(cost_usd) AS cost, COUNT(cost_usd) AS priced, SUM(latency_ms) AS lat"
      + " FROM usage_log WHERE ts >= ? AND ts < ? AND " + ApiRows.CONDITION + " GROUP BY " + GROUP + ", "
      + LatencyHistogram.bucketSql("latency_ms");
  private static final String TTFB = "SELECT " + GROUP + ", " + LatencyHistogram.bucketSql("ttfb_ms")
      + " AS bucket, COUNT(*) AS n FROM usage_log WHERE ts >= ? AND ts < ? AND ttfb_ms IS NOT NULL AND "
      + ApiRows.CONDITION + " GROUP BY " + GROUP + ", " + LatencyHistogram.bucketSql("ttfb_ms");

  private final DataSource dataSource;
  private final boolean postgres;

  public HourlyRollup(DataSource dataSource, boolean postgres) {
    this.dataSource = dataSource;
    this.postgres = postgres;
  }

  /** The last hour that is closed at {@code now}: every hour before the answer may be rolled up. */
  static Instant closedUntil(Instant now) {
    return now.minus(GRACE).truncatedTo(ChronoUnit.HOURS);
  }

  /** Rolls up closed hours not yet rolled (and recomputes recent ones), at most 48; answers how many it did. */
  public int run(Instant now) throws SQLException {
    return run(now, MAX_HOURS_PER_RUN);
  }

  /** As {@link #run(Instant)}, at most {@code maxHours} hours, the oldest first. */
  public int run(Instant now, int maxHours) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!ChoreLock.tryTake(c, postgres, ChoreLock.ROLLUP)) {
        return 0;
      }
      try {
        Instant until = closedUntil(now);
        Instant from = firstHour(c, until);
        int hours = 0;
        for (Instant hour = from; hour != null && hour.isBefore(until) && hours < maxHours;
            hour = hour.plus(1, ChronoUnit.HOURS)) {
          roll(c, hour);
          hours++;
        }
        return hours;
      } finally {
        ChoreLock.release(c, postgres, ChoreLock.ROLLUP);
      }
    }
  }

  /** Where to start: REROLL before the watermark, or the oldest row's hour on the first run; null if no rows. */
  private static Instant firstHour(Connection c, Instant until) throws SQLException {
    Instant rolled = instant(c, "SELECT rolled_until FROM usage_rollup_state WHERE id = 1");
    if (rolled != null) {
      Instant from = rolled.minus(REROLL);
      return from.isBefore(until) ? from : rolled;
    }
    Instant oldest = instant(c, "SELECT MIN(ts) FROM usage_log WHERE ts < "
        + "CAST('" + OffsetDateTime.ofInstant(until, ZoneOffset.UTC) + "' AS TIMESTAMP WITH TIME ZONE)");
    return oldest == null ? null : oldest.truncatedTo(ChronoUnit.HOURS);
  }

  private static Instant instant(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      OffsetDateTime t = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
      return t == null ? null : t.toInstant();
    }
  }

  /** Recomputes one hour's rollup rows and moves the watermark past it, in one transaction. */
  void roll(Connection c, Instant hour) throws SQLException {
    OffsetDateTime start = OffsetDateTime.ofInstant(hour, ZoneOffset.UTC);
    OffsetDateTime end = start.plusHours(1);
    RollupGroups groups = new RollupGroups();
    JdbcTransaction.run(c, tx -> {
      read(tx, SUMS, start, end, groups::addSums);
      read(tx, TTFB, start, end, groups::addTtfb);
      try (PreparedStatement ps = tx.prepareStatement("DELETE FROM usage_hourly WHERE hour_start = ?")) {
        ps.setObject(1, start);
        ps.executeUpdate();
      }
      groups.insert(tx, start);
      try (PreparedStatement ps = tx.prepareStatement("UPDATE usage_rollup_state SET rolled_until = ? WHERE id = 1"
          + " AND (rolled_until IS NULL OR rolled_until < ?)")) {
        ps.setObject(1, end);
        ps.setObject(2, end);
        ps.executeUpdate();
      }
    });
  }

  private interface RowReader {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void read(Connection c, String sql, OffsetDateTime start, OffsetDateTime end, RowReader reader)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, start);
      ps.setObject(2, end);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.accept(rs);
        }
      }
    }
  }
}
