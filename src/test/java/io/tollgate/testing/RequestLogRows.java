package io.tollgate.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/** Reads the gateway's request log straight from its database, waiting for the asynchronous writer. */
public final class RequestLogRows {
  private final TestDatabase db;

  public RequestLogRows(TestDatabase db) {
    this.db = db;
  }

  /** The row of one request id, waiting up to the timeout for the batched writer to get to it. */
  public Map<String, Object> await(String requestId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Map<String, Object>> row = find(requestId);
      if (row.isPresent()) {
        return row.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no request-log row for request id " + requestId + " after " + timeout);
      }
      sleep();
    }
  }

  public Optional<Map<String, Object>> find(String requestId) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("select * from usage_log where request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnName(i), rs.getObject(i));
        }
        return Optional.of(row);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Which of these request ids still have no row once the timeout has passed (empty as soon as all have one). */
  public Set<String> missing(Collection<String> requestIds, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> missing = new HashSet<>(requestIds);
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("select request_id from usage_log where request_id = any(?)")) {
      while (!missing.isEmpty()) {
        ps.setArray(1, c.createArrayOf("varchar", missing.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            missing.remove(rs.getString(1));
          }
        }
        if (missing.isEmpty() || System.nanoTime() > deadline) {
          return missing;
        }
        sleep();
      }
      return missing;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One column of the rows of these request ids, as text (null stays null), by request id. */
  public Map<String, String> column(String column, Collection<String> requestIds) {
    if (!column.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a column name: " + column);
    }
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("select request_id, " + column
            + " from usage_log where request_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("varchar", requestIds.toArray()));
      Map<String, String> values = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values.put(rs.getString(1), rs.getString(2));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public long count() {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        ResultSet rs = c.createStatement().executeQuery("select count(*) from usage_log")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
