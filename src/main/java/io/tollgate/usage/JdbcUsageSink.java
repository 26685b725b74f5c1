package io.tollgate.usage;

import io.tollgate.persistence.JdbcTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes each batch as one JDBC batch INSERT into usage_log (and one into usage_bodies for rows with bodies), in
 * one transaction. Plain JDBC rather than JPA: the rows are write-only, and with {@code reWriteBatchedInserts=true}
 * PostgreSQL receives multi-row INSERTs.
 */
public final class JdbcUsageSink implements UsageSink {
  private static final String INSERT = "INSERT INTO usage_log (ts, request_id, key_id, key_name, method, path, model,"
      + " provider, upstream_model, stream, status, latency_ms, ttfb_ms, prompt_tokens, completion_tokens, error,"
      + " attempts, attempt_log, user_id, cached_tokens, reasoning_tokens, cost_usd, usage_source,"
      + " cache_status, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_BODIES = "INSERT INTO usage_bodies (request_id, ts, request_body,"
      + " response_body) VALUES (?, ?, ?, ?)";
  private static final int MAX_ATTEMPT_LOG_CHARS = 16_000;
  private static final int MAX_ERROR_CHARS = 4000;

  private final DataSource dataSource;

  public JdbcUsageSink(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void write(List<UsageEvent> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      JdbcTransaction.run(c, tx -> insert(tx, batch));
    }
  }

  @Override
  public void writeAgain(List<UsageEvent> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      JdbcTransaction.run(c, tx -> insert(tx, WrittenAlready.without(tx, batch)));
    }
  }

  private static void insert(Connection tx, List<UsageEvent> batch) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = tx.prepareStatement(INSERT)) {
      for (UsageEvent e : batch) {
        bind(ps, e);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    writeBodies(tx, batch);
  }

  /** The rows' bodies, when LOG_BODIES kept some: in the same transaction, so a row and its bodies go together. */
  private static void writeBodies(Connection c, List<UsageEvent> batch) throws SQLException {
    if (batch.stream().noneMatch(e -> e.bodies() != null && e.requestId() != null)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_BODIES)) {
      for (UsageEvent e : batch) {
        if (e.bodies() != null && e.requestId() != null) {
          ps.setString(1, text(e.requestId(), 64));
          ps.setObject(2, OffsetDateTime.ofInstant(e.time() == null ? Instant.now() : e.time(), ZoneOffset.UTC));
          ps.setString(3, text(e.bodies().request(), Integer.MAX_VALUE));
          ps.setString(4, text(e.bodies().response(), Integer.MAX_VALUE));
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  private static void bind(PreparedStatement ps, UsageEvent e) throws SQLException {
    // A null here would fail the batch on every retry; to the microsecond, as kept, so a retry can recognise it.
    Instant time = WrittenAlready.stored(e.time() == null ? Instant.now() : e.time());
    ps.setObject(1, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
    ps.setString(2, text(e.requestId(), 64));
    setLong(ps, 3, e.keyId());
    ps.setString(4, text(e.keyName(), 200));
    ps.setString(5, text(e.method(), 8));
    ps.setString(6, text(e.path(), 300));
    ps.setString(7, text(e.model(), 200));
    ps.setString(8, text(e.provider(), 100));
    ps.setString(9, text(e.upstreamModel(), 200));
    ps.setBoolean(10, e.stream());
    ps.setInt(11, e.status());
    ps.setLong(12, e.latencyMs());
    setLong(ps, 13, e.ttfbMs());
    setInt(ps, 14, e.promptTokens());
    setInt(ps, 15, e.completionTokens());
    ps.setString(16, text(e.error(), MAX_ERROR_CHARS));
    ps.setInt(17, e.attempts());
    ps.setString(18, text(e.attemptLog(), MAX_ATTEMPT_LOG_CHARS));
    setLong(ps, 19, e.userId());
    setInt(ps, 20, e.cachedTokens());
    setInt(ps, 21, e.reasoningTokens());
    ps.setBigDecimal(22, e.costUsd());
    ps.setString(23, text(e.usageSource(), 16));
    ps.setString(24, text(e.cacheStatus(), 8));
    ps.setString(25, e.traceId());
  }

  /**
   * Fits a value to its column. One over-long path or a NUL character (which PostgreSQL refuses in text) would
   * otherwise fail the whole batch on every retry and stop the request log.
   */
  static String text(String value, int maxChars) {
    if (value == null) {
      return null;
    }
    String clean = value.indexOf('\0') >= 0 ? value.replace("\0", "") : value;
    if (clean.length() <= maxChars) {
      return clean;
    }
    int end = Character.isHighSurrogate(clean.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
    return clean.substring(0, end);
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }
}
