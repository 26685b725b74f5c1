package io.tollgate.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A PostgreSQL session advisory lock, so that of several instances sharing a database one at a time drops
 * partitions or rolls up hours; the others skip that run. On H2 (one process) there is nothing to take.
 */
final class ChoreLock {
  static final long RETENTION = 0x746f6c6c_00000013L;
  static final long ROLLUP = 0x746f6c6c_00000014L;

  private ChoreLock() {
  }

  /** Takes the lock on {@code c} if free; true also on H2. Release with {@link #release}. */
  static boolean tryTake(Connection c, boolean postgres, long key) throws SQLException {
    if (!postgres) {
      return true;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  static void release(Connection c, boolean postgres, long key) throws SQLException {
    if (postgres) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        ps.setLong(1, key);
        ps.execute();
      }
    }
  }
}
