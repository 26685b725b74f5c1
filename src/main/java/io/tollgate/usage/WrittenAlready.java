package io.tollgate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A batch tried again after a write that failed: its commit may have landed before the connection broke (a
 * database cut mid-commit), so the rows the table already holds, by request id and time, are left out rather than
 * written twice. Only the ones with both can be recognised; the request path sets both.
 */
final class WrittenAlready {
  private WrittenAlready() {
  }

  /** The rows of {@code batch} not in usage_log yet, in order. */
  static List<UsageEvent> without(Connection c, List<UsageEvent> batch) throws SQLException {
    List<String> ids = batch.stream().filter(WrittenAlready::recognisable)
        .map(e -> JdbcUsageSink.text(e.requestId(), 64)).distinct().toList();
    if (ids.isEmpty()) {
      return batch;
    }
    List<Instant> times = batch.stream().filter(WrittenAlready::recognisable).map(e -> stored(e.time())).toList();
    Instant from = Collections.min(times);
    Instant to = Collections.max(times);
    Set<String> found = new HashSet<>();
    String sql = "SELECT request_id, ts FROM usage_log WHERE ts >= ? AND ts <= ? AND request_id IN ("
        + "?,".repeat(ids.size() - 1) + "?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 3, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(key(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
        }
      }
    }
    if (found.isEmpty()) {
      return batch;
    }
    return batch.stream().filter(e -> !recognisable(e)
        || !found.contains(key(JdbcUsageSink.text(e.requestId(), 64), stored(e.time())))).toList();
  }

  /** A row's time as both databases keep it: to the microsecond. */
  static Instant stored(Instant time) {
    return time.truncatedTo(ChronoUnit.MICROS);
  }

  private static boolean recognisable(UsageEvent e) {
    return e.requestId() != null && e.time() != null;
  }

  private static String key(String requestId, Instant ts) {
    return requestId + '@' + ts;
  }
}
