package io.tollgate.limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The limit_counters table, the one thing instances share: each call is one short autocommit statement (two or
 * three near a limit), and none ever lets {@code used} pass the limit, except {@link #charge}, which records usage
 * that already happened. PostgreSQL and H2 differ only in how an UPDATE hands back the new value.
 */
final class SharedCounters {
  /** What a grant gave, and the counter's value right after it. */
  record Grant(long granted, long used) {
  }

  private static final String WHERE = " WHERE key_id = ? AND scope = ? AND metric = ? AND window_start = ?";
  private static final String SET_IF_ROOM = "UPDATE limit_counters SET used = used + ?" + WHERE
      + " AND used + ? <= ?";
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final String takeIfRoom;
  private final LongAdder roundTrips = new LongAdder();

  SharedCounters(DataSource dataSource, String vendor) {
    this.dataSource = dataSource;
    this.takeIfRoom = "postgresql".equals(vendor) ? SET_IF_ROOM + " RETURNING used"
        : "SELECT used FROM FINAL TABLE (" + SET_IF_ROOM + ")";
  }

  /**
   * Reserves up to {@code want} (at least 1) of {@code limit} in the window: all of it while there is room, else
   * what is left, else nothing. Usually one statement: a conditional increment. When that finds no room or no
   * row, it reads the counter and asks again for what is left, or inserts the row.
   */
  Grant grant(CounterKey key, long windowStart, long want, long limit) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      long ask = Math.min(want, limit);
      for (int tries = 0; tries < 4 && ask > 0; tries++) {
        Long used = takeIfRoom(c, key, windowStart, ask, limit);
        if (used != null) {
          return new Grant(ask, used);
        }
        Long current = read(c, key, windowStart);
        if (current == null) {
          if (insert(c, key, windowStart, ask)) {
            return new Grant(ask, ask);
          }
          continue; // another instance inserted it first
        }
        if (current >= limit) {
          return new Grant(0, current);
        }
        ask = Math.min(ask, limit - current);
      }
      Long current = read(c, key, windowStart);
      return new Grant(0, current == null ? 0 : current);
    }
  }

  /** Adds usage that already happened, limit or not (a request that used more than it reserved). */
  void charge(CounterKey key, long windowStart, long amount) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      for (int tries = 0; tries < 3; tries++) {
        if (add(c, key, windowStart, amount) == 1 || insert(c, key, windowStart, amount)) {
          return;
        }
      }
    }
  }

  /** Hands back a slice nobody will use (an instance stopping), never below zero. */
  void giveBack(CounterKey key, long windowStart, long amount) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "UPDATE limit_counters SET used = CASE WHEN used > ? THEN used - ? ELSE 0 END" + WHERE)) {
      s.setLong(1, amount);
      s.setLong(2, amount);
      bindKey(s, 3, key, windowStart);
      count();
      s.executeUpdate();
    }
  }

  /** Forgets rate-limit windows that ended before {@code beforeSeconds}; quota rows are kept. */
  int prune(long beforeSeconds) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "DELETE FROM limit_counters WHERE metric IN ('rpm', 'rph', 'tpm') AND window_start < ?")) {
      s.setLong(1, beforeSeconds);
      count();
      return s.executeUpdate();
    }
  }

  /** Statements sent so far, for the metrics page and for tests that count round trips. */
  long roundTrips() {
    return roundTrips.sum();
  }

  private Long takeIfRoom(Connection c, CounterKey key, long windowStart, long amount, long limit)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(takeIfRoom)) {
      s.setLong(1, amount);
      bindKey(s, 2, key, windowStart);
      s.setLong(6, amount);
      s.setLong(7, limit);
      count();
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : null;
      }
    }
  }

  private int add(Connection c, CounterKey key, long windowStart, long amount) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE limit_counters SET used = used + ?" + WHERE)) {
      s.setLong(1, amount);
      bindKey(s, 2, key, windowStart);
      count();
      return s.executeUpdate();
    }
  }

  private Long read(Connection c, CounterKey key, long windowStart) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT used FROM limit_counters" + WHERE)) {
      bindKey(s, 1, key, windowStart);
      count();
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : null;
      }
    }
  }

  /** False when the row already exists: someone else made it between our update and this insert. */
  private boolean insert(Connection c, CounterKey key, long windowStart, long used) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO limit_counters (key_id, scope, metric, window_start, used) VALUES (?, ?, ?, ?, ?)")) {
      bindKey(s, 1, key, windowStart);
      s.setLong(5, used);
      count();
      s.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  private static void bindKey(PreparedStatement s, int first, CounterKey key, long windowStart)
      throws SQLException {
    s.setLong(first, key.keyId());
    s.setString(first + 1, key.scope());
    s.setString(first + 2, key.metric().column());
    s.setLong(first + 3, windowStart);
  }

  private void count() {
    roundTrips.increment();
  }
}
