package io.tollgate.e2e;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Request-log rows written straight into usage_log, at any time, for the window, cost and paging tests. */
final class LogRowInserts {
  private LogRowInserts() {
  }

  /** One row; start from {@link #api} and change what the test needs. */
  record Row(Instant ts, String path, String model, String provider, Long keyId, String keyName, Long userId,
      int status, long latencyMs, Integer prompt, Integer completion, Integer cached, Integer reasoning,
      BigDecimal cost) {
    static Row api(Instant ts, String model, int status, long latencyMs) {
      return new Row(ts, "/v1/chat/completions", model, "old-provider", null, null, null, status, latencyMs, null,
          null, null, null, null);
    }

    Row path(String p) {
      return new Row(ts, p, model, provider, keyId, keyName, userId, status, latencyMs, prompt, completion, cached,
          reasoning, cost);
    }

    Row provider(String p) {
      return new Row(ts, path, model, p, keyId, keyName, userId, status, latencyMs, prompt, completion, cached,
          reasoning, cost);
    }

    Row key(long id, String name) {
      return new Row(ts, path, model, provider, id, name, userId, status, latencyMs, prompt, completion, cached,
          reasoning, cost);
    }

    Row user(long id) {
      return new Row(ts, path, model, provider, keyId, keyName, id, status, latencyMs, prompt, completion, cached,
          reasoning, cost);
    }

    Row tokens(int p, int c, Integer cachedTokens, Integer reasoningTokens) {
      return new Row(ts, path, model, provider, keyId, keyName, userId, status, latencyMs, p, c, cachedTokens,
          reasoningTokens, cost);
    }

    Row cost(String usd) {
      return new Row(ts, path, model, provider, keyId, keyName, userId, status, latencyMs, prompt, completion, cached,
          reasoning, new BigDecimal(usd));
    }
  }

  /** Inserts the row and answers its id. */
  static long insert(Connection c, Row r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log (ts, request_id, key_id, key_name,"
        + " method, path, model, provider, stream, status, latency_ms, ttfb_ms, prompt_tokens, completion_tokens,"
        + " cached_tokens, reasoning_tokens, cost_usd, user_id, attempts) VALUES (?, ?, ?, ?, 'POST', ?, ?, ?,"
        + " FALSE, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setObject(1, OffsetDateTime.ofInstant(r.ts(), ZoneOffset.UTC));
      ps.setString(2, "req_inserted_" + System.nanoTime());
      ps.setObject(3, r.keyId(), Types.BIGINT);
      ps.setString(4, r.keyName());
      ps.setString(5, r.path());
      ps.setString(6, r.model());
      ps.setString(7, r.provider());
      ps.setInt(8, r.status());
      ps.setLong(9, r.latencyMs());
      ps.setLong(10, r.latencyMs() / 2);
      ps.setObject(11, r.prompt(), Types.INTEGER);
      ps.setObject(12, r.completion(), Types.INTEGER);
      ps.setObject(13, r.cached(), Types.INTEGER);
      ps.setObject(14, r.reasoning(), Types.INTEGER);
      ps.setBigDecimal(15, r.cost());
      ps.setObject(16, r.userId(), Types.BIGINT);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }
}
