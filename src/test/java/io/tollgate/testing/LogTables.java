package io.tollgate.testing;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/** Rows written straight into the request-log tables, and counts read back, for the retention and rollup tests. */
public final class LogTables {
  private final DataSource dataSource;

  public LogTables(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One API row; {@code model} null for a row with no model (a refused request). */
  public void row(Instant ts, String model, Long keyId, int status, long latencyMs, Integer prompt, BigDecimal cost)
      throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log"
        + " (ts, request_id, key_id, key_name, method, path, model, provider, stream, status, latency_ms, ttfb_ms,"
        + " prompt_tokens, completion_tokens, cost_usd) VALUES (?, ?, ?, ?, 'POST', '/v1/chat/completions', ?,"
        + " 'p1', FALSE, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
      ps.setString(2, "req_" + System.nanoTime());
      ps.setObject(3, keyId, Types.BIGINT);
      ps.setString(4, keyId == null ? null : "key" + keyId);
      ps.setString(5, model);
      ps.setInt(6, status);
      ps.setLong(7, latencyMs);
      ps.setLong(8, latencyMs / 3);
      ps.setObject(9, prompt, Types.INTEGER);
      ps.setObject(10, prompt == null ? null : prompt / 2, Types.INTEGER);
      ps.setBigDecimal(11, cost);
      ps.executeUpdate();
    }
  }

  public void body(String requestId, Instant ts) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO usage_bodies (request_id, ts, request_body, response_body) VALUES (?, ?, '{}', '{}')")) {
      ps.setString(1, requestId);
      ps.setObject(2, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  public long count(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
