package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.retention.HourlyRollup;
import io.tollgate.retention.LatencyHistogram;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency and TTFB histograms of a stats window partly rolled up: the rollups' stored histograms over the rolled
 * span plus the raw rows' buckets outside it, for the totals and for each group of each breakdown asked for.
 */
final class WindowHistograms {
  private record Pair(LatencyHistogram latency, LatencyHistogram ttfb) {
    Pair() {
      this(new LatencyHistogram(), new LatencyHistogram());
    }
  }

  private final List<Dimension> dimensions;
  private final Map<List<Object>, Pair> totals = new HashMap<>();
  private final Map<Dimension, Map<List<Object>, Pair>> groups = new HashMap<>();

  WindowHistograms(List<Dimension> dimensions) {
    this.dimensions = dimensions;
    dimensions.forEach(d -> groups.put(d, new HashMap<>()));
  }

  void load(Connection c, TimeWindow window, RolledSpan span) throws SQLException {
    String group = HourlyRollup.GROUP;
    read(c, span.rolledOf(new SqlQuery("SELECT " + group + ", latency_hist, ttfb_hist FROM usage_hourly")),
        (rs, pair) -> {
          pair.latency().addAll(rs.getString("latency_hist"));
          pair.ttfb().addAll(rs.getString("ttfb_hist"));
        });
    for (String column : List.of("latency_ms", "ttfb_ms")) {
      String bucket = LatencyHistogram.bucketSql(column);
      SqlQuery raw = span.rawOf(new SqlQuery("SELECT " + group + ", " + bucket + " AS bucket, COUNT(*) AS n"
          + " FROM usage_log"), window).and(StatsQuery.API_ROWS).and(column + " IS NOT NULL")
          .append(" GROUP BY " + group + ", " + bucket);
      boolean latency = column.equals("latency_ms");
      read(c, raw, (rs, pair) -> (latency ? pair.latency() : pair.ttfb()).add(rs.getInt("bucket"), rs.getLong("n")));
    }
  }

  private interface RowInto {
    void accept(ResultSet rs, Pair pair) throws SQLException;
  }

  private void read(Connection c, SqlQuery query, RowInto into) throws SQLException {
    try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        into.accept(rs, totals.computeIfAbsent(List.of(), k -> new Pair()));
        for (Dimension d : dimensions) {
          into.accept(rs, groups.get(d).computeIfAbsent(key(rs, d), k -> new Pair()));
        }
      }
    }
  }

  /** A group's values as one key; nulls included, since a null model or key is a group of its own. */
  static List<Object> key(ResultSet rs, Dimension d) throws SQLException {
    List<Object> key = new ArrayList<>(d.columns().size());
    for (String column : d.columns()) {
      Object value = rs.getObject(column);
      key.add(value instanceof Number n && !(value instanceof Integer) ? (Object) n.longValue() : value);
    }
    return key;
  }

  void writeTotals(ObjectNode out) {
    write(totals.get(List.of()), out);
  }

  void writeGroup(Dimension d, List<Object> key, ObjectNode out) {
    write(groups.get(d).get(key), out);
  }

  private static void write(Pair pair, ObjectNode out) {
    if (pair == null) {
      StatsNumbers.latency(out, null, null, null, null);
      return;
    }
    StatsNumbers.latency(out, tenth(pair.latency().percentile(0.5)), tenth(pair.latency().percentile(0.95)),
        tenth(pair.latency().percentile(0.99)), tenth(pair.ttfb().percentile(0.5)));
  }

  static Double tenth(Double ms) {
    return ms == null ? null : Math.round(ms * 10) / 10.0;
  }
}
