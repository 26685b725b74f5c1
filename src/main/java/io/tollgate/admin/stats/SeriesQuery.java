package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.retention.LatencyHistogram;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * GET /admin/stats/series: the API requests of a window step by step. Hours and days come from usage_hourly over
 * the rolled-up hours and from the raw rows grouped by step elsewhere (the window's edges, hours not yet rolled up,
 * the open hour); minutes only from the raw rows, since the rollup is hourly.
 */
final class SeriesQuery {
  private static final Set<Dimension> DIMENSIONS = Set.of(Dimension.MODEL, Dimension.KEY, Dimension.PROVIDER);
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

  /** points: the window's number of steps, which SeriesStep.points has checked. */
  void run(TimeWindow window, SeriesStep step, int points, Dimension dimension, ObjectNode out)
      throws SQLException {
    SeriesPoints series = new SeriesPoints(step, window.from(), points);
    List<String> columns = dimension == null ? List.of() : dimension.columns();
    String groupColumns = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
    try (Connection c = dataSource.getConnection()) {
      RolledSpan span = step == SeriesStep.MINUTE ? null : RolledSpan.of(c, window);
      if (span != null) {
        readRolled(c, span, groupColumns, dimension, series);
      }
      String stepNo = step.bucketSql();
      SqlQuery raw = new SqlQuery("SELECT " + stepNo + " AS step_no, " + groupColumns + BUCKET + " AS bucket,"
          + " COUNT(*) AS n, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, SUM(prompt_tokens) AS p,"
          + " SUM(completion_tokens) AS c, SUM(cost_usd) AS cost FROM usage_log");
      (span == null ? raw.window(window) : span.rawOf(raw, window)).and(StatsQuery.API_ROWS)
          .append(" GROUP BY " + stepNo + ", " + groupColumns + BUCKET);
      try (PreparedStatement ps = raw.prepare(c); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> group = key(rs, dimension);
          Instant start = step.startOf(rs.getLong("step_no"));
          long n = rs.getLong("n");
          series.add(group, start, n, rs.getLong("errors"), rs.getLong("p"), rs.getLong("c"), rs.getBigDecimal("cost"));
          int bucket = rs.getInt("bucket");
          if (!rs.wasNull()) {
            series.addLatency(group, start, bucket, n);
          }
        }
      }
    }
    boolean more = series.write(dimension, StatsQuery.MAX_GROUPS, out.putArray("data"));
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
