package io.tollgate.admin.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The whole hours of a stats window that usage_hourly already holds, [from, to): from the window's first hour
 * boundary to its last one or the rollup watermark, whichever is earlier. The rest of the window, before and after
 * (edges off the hour, hours not yet rolled up, the open hour), is read from the raw rows.
 */
record RolledSpan(Instant from, Instant to) {

  /** The span, or null when the window holds no rolled-up hour. */
  static RolledSpan of(Connection c, TimeWindow window) throws SQLException {
    Instant watermark;
    try (PreparedStatement ps = c.prepareStatement("SELECT rolled_until FROM usage_rollup_state WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      OffsetDateTime t = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
      watermark = t == null ? null : t.toInstant();
    }
    if (watermark == null) {
      return null;
    }
    Instant first = window.from().truncatedTo(ChronoUnit.HOURS);
    if (first.isBefore(window.from())) {
      first = first.plus(1, ChronoUnit.HOURS);
    }
    Instant last = window.to().truncatedTo(ChronoUnit.HOURS);
    if (watermark.isBefore(last)) {
      last = watermark;
    }
    return first.isBefore(last) ? new RolledSpan(first, last) : null;
  }

  /** The raw rows of the window outside the span. */
  SqlQuery rawOf(SqlQuery query, TimeWindow window) {
    return query.and("((ts >= ? AND ts < ?) OR (ts >= ? AND ts < ?))", window.from(), from, to, window.to());
  }

  SqlQuery rolledOf(SqlQuery query) {
    return query.and("hour_start >= ? AND hour_start < ?", from, to);
  }
}
