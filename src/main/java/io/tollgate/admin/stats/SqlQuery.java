package io.tollgate.admin.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One SELECT over usage_log put together from fixed SQL fragments and bound parameters (never a value in the
 * text), and the null-aware column readers both endpoints use.
 */
final class SqlQuery {
  /** Bounds the work one admin call can make the database do. */
  private static final int TIMEOUT_SECONDS = 30;

  private final StringBuilder text;
  private final List<Object> params = new ArrayList<>();
  private boolean hasWhere;

  SqlQuery(String select) {
    this.text = new StringBuilder(select);
  }

  /** Adds a condition, ANDed with those before it; each {@code ?} in it takes the next value. */
  SqlQuery and(String condition, Object... values) {
    text.append(hasWhere ? " AND " : " WHERE ").append(condition);
    hasWhere = true;
    params.addAll(List.of(values));
    return this;
  }

  SqlQuery window(TimeWindow window) {
    if (window.from() != null) {
      and("ts >= ?", window.from());
    }
    if (window.to() != null) {
      and("ts < ?", window.to());
    }
    return this;
  }

  /** Appends the start of another SELECT (after UNION ALL, say): the next {@link #and} begins its WHERE. */
  SqlQuery then(String sql) {
    text.append(sql);
    hasWhere = false;
    return this;
  }

  SqlQuery append(String sql, Object... values) {
    text.append(sql);
    params.addAll(List.of(values));
    return this;
  }

  PreparedStatement prepare(Connection c) throws SQLException {
    PreparedStatement ps = c.prepareStatement(text.toString());
    try {
      ps.setQueryTimeout(TIMEOUT_SECONDS);
      for (int i = 0; i < params.size(); i++) {
        Object value = params.get(i);
        ps.setObject(i + 1, value instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : value);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return text.toString();
  }

  static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
