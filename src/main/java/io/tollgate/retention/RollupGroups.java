package io.tollgate.retention;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One hour's rollup rows being put together from the per-bucket sums HourlyRollup reads. */
final class RollupGroups {
  private static final String INSERT = "INSERT INTO usage_hourly (hour_start, model, key_id, key_name, user_id,"
      + " provider, status, requests, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd,"
      + " priced_requests, latency_sum_ms, latency_hist, ttfb_hist) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
      + " ?, ?, ?, ?)";

  private static final class Group {
    final Object[] key;
    long requests;
    long prompt;
    long completion;
    long cached;
    long reasoning;
    BigDecimal cost = BigDecimal.ZERO;
    long priced;
    long latencySum;
    final LatencyHistogram latency = new LatencyHistogram();
    final LatencyHistogram ttfb = new LatencyHistogram();

    Group(Object[] key) {
      this.key = key;
    }
  }

  private final Map<List<Object>, Group> groups = new LinkedHashMap<>();

  private Group group(ResultSet rs) throws SQLException {
    Object[] key = {rs.getString("model"), nullableLong(rs, "key_id"), rs.getString("key_name"),
        nullableLong(rs, "user_id"), rs.getString("provider"), rs.getInt("status")};
    return groups.computeIfAbsent(Arrays.asList(key), k -> new Group(key));
  }

  void addSums(ResultSet rs) throws SQLException {
    Group g = group(rs);
    long n = rs.getLong("n");
    g.requests += n;
    g.prompt += rs.getLong("p");
    g.completion += rs.getLong("c");
    g.cached += rs.getLong("ca");
    g.reasoning += rs.getLong("r");
    BigDecimal cost = rs.getBigDecimal("cost");
    g.cost = cost == null ? g.cost : g.cost.add(cost);
    g.priced += rs.getLong("priced");
    g.latencySum += rs.getLong("lat");
    int bucket = rs.getInt("bucket");
    if (!rs.wasNull()) {
      g.latency.add(bucket, n);
    }
  }

  void addTtfb(ResultSet rs) throws SQLException {
    Group g = group(rs);
    int bucket = rs.getInt("bucket");
    if (!rs.wasNull()) {
      g.ttfb.add(bucket, rs.getLong("n"));
    }
  }

  void insert(Connection c, OffsetDateTime hour) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Group g : groups.values()) {
        ps.setObject(1, hour);
        ps.setString(2, (String) g.key[0]);
        ps.setObject(3, g.key[1], Types.BIGINT);
        ps.setString(4, (String) g.key[2]);
        ps.setObject(5, g.key[3], Types.BIGINT);
        ps.setString(6, (String) g.key[4]);
        ps.setInt(7, (Integer) g.key[5]);
        ps.setLong(8, g.requests);
        ps.setLong(9, g.prompt);
        ps.setLong(10, g.completion);
        ps.setLong(11, g.cached);
        ps.setLong(12, g.reasoning);
        ps.setBigDecimal(13, g.cost);
        ps.setLong(14, g.priced);
        ps.setLong(15, g.latencySum);
        ps.setString(16, g.latency.toString());
        ps.setString(17, g.ttfb.toString());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
