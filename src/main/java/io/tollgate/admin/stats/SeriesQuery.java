package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.retention.LatencyHistogram;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * GET /admin/stats/series: the API requests of a window hour by hour, from usage_hourly over the rolled-up hours
 * and from the raw rows grouped by hour elsewhere (the window's edges, hours not yet rolled up, the open hour).
 */
final class SeriesQuery {
  /** 31 days of hours: enough for a month's chart, bounded work per call. */
  static final int MAX_POINTS = 744;
  private static final Set<Dimension> DIMENSIONS = Set.of(Dimension.MODEL, Dimension.KEY, Dimension.PROVIDER);
  /** The hour as hours since the epoch: the same on PostgreSQL and H2 whatever the session's time zone. */
  private static final String HOUR = "CAST(FLOOR(EXTRACT(EPOCH FROM ts) / 3600) AS BIGINT)";
  private static final String BUCKET = LatencyHistogram.bucketSql("latency_ms");

  private final DataSource dataSource;

  SeriesQuery(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** group_by: one of model, key, provider; absent or "none" is one series of every request (null). */
  static Dimension dimension(String groupBy) {
    if (QueryParams.absent(groupBy) || groupBy.strip().equalsIgnoreCase("none")) {
      return null;
    }
    for (Dimension d : DIMENSIONS) {
      if (d.param().equalsIgnoreCase(groupBy.strip())) {
        return d;
      }
    }
    throw QueryParams.bad("group_by", "group_by must be model, key, provider or none, not '"
        + QueryParams.shorten(groupBy) + "'");
  }

  /** The first hour of the window's series; a window of more than MAX_POINTS hours is a 400. */
  static int hours(TimeWindow window) {
    Instant first = window.from().truncatedTo(ChronoUnit.HOURS);
    long hours = ChronoUnit.HOURS.between(first, window.to().minusNanos(1).truncatedTo(ChronoUnit.HOURS)) + 1;
    if (hours > MAX_POINTS) {
      throw QueryParams.bad("from", "a series covers at most " + MAX_POINTS + " hours (31 days); from "
          + window.from() + " to " + window.to() + " is " + hours);
    }
    return (int) hours;
  }

  void run(TimeWindow window, Dimension dimension, ObjectNode out) throws SQLException {
    SeriesPoints points = new SeriesPoints(window.from().truncatedTo(ChronoUnit.HOURS), hours(window));
    List<String> columns = dimension == null ? List.of() : dimension.columns();
    String groupColumns = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
    try (Connection c = dataSource.getConnection()) {
      RolledSpan span = RolledSpan.of(c, window);
      if (span != null) {
        readRolled(c, span, groupColumns, dimension, points);
      }
      SqlQuery raw = new SqlQuery("SELECT " + HOUR + " AS hour_no, " + groupColumns + BUCKET + " AS bucket,"
          + " COUNT(*) AS n, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, SUM(prompt_tokens) AS p,"
          + " SUM(completion_tokens) AS c, SUM(cost_usd) AS cost FROM usage_log");
      (span == null ? raw.window(window) : span.rawOf(raw, window)).and(StatsQuery.API_ROWS)
          .append(" GROUP BY " + HOUR + ", " + groupColumns + BUCKET);
      try (PreparedStatement ps = raw.prepare(c); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> group = key(rs, dimension);
          Instant hour = Instant.ofEpochSecond(rs.getLong("hour_no") * 3600);
          long n = rs.getLong("n");
          points.add(group, hour, n, rs.getLong("errors"), rs.getLong("p"), rs.getLong("c"), rs.getBigDecimal("cost"));
          int bucket = rs.getInt("bucket");
          if (!rs.wasNull()) {
            points.addLatency(group, hour, bucket, n);
          }
        }
      }
    }
    boolean more = points.write(dimension, StatsQuery.MAX_GROUPS, out.putArray("data"));
    out.put("has_more", more);
  }

  private static void readRolled(Connection c, RolledSpan span, String groupColumns, Dimension dimension,
      SeriesPoints points) throws SQLException {
    SqlQuery rolled = span.rolledOf(new SqlQuery("SELECT hour_start, " + groupColumns + "status, requests,"
        + " prompt_tokens, completion_tokens, cost_usd, latency_hist FROM usage_hourly"));
    try (PreparedStatement ps = rolled.prepare(c); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<Object> group = key(rs, dimension);
        Instant hour = SqlQuery.instant(rs, "hour_start");
        long requests = rs.getLong("requests");
        points.add(group, hour, requests, rs.getInt("status") >= 400 ? requests : 0, rs.getLong("prompt_tokens"),
            rs.getLong("completion_tokens"), rs.getBigDecimal("cost_usd"));
        points.addLatency(group, hour, rs.getString("latency_hist"));
      }
    }
  }

  private static List<Object> key(ResultSet rs, Dimension dimension) throws SQLException {
    return dimension == null ? List.of() : WindowHistograms.key(rs, dimension);
  }
}
