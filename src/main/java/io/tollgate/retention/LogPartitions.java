package io.tollgate.retention;

import io.tollgate.persistence.JdbcTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily partitions of usage_log and usage_bodies on PostgreSQL, named {@code <table>_pYYYYMMDD}, each one UTC
 * day. Created ahead, idempotently: when two instances race, the loser's "already exists" is ignored. Should the
 * default partition hold rows of a day about to get its partition (PostgreSQL would refuse to create it), they are
 * moved into the new partition in the same transaction.
 */
public final class LogPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(LogPartitions.class);
  static final List<String> TABLES = List.of("usage_log", "usage_bodies");
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final String DUPLICATE_TABLE = "42P07";

  private final DataSource dataSource;

  public LogPartitions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  static String name(String table, LocalDate day) {
    return table + "_p" + day.format(SUFFIX);
  }

  /** The day a partition named by {@link #name} covers, or null for any other name (the default partition). */
  static LocalDate day(String table, String partition) {
    String prefix = table + "_p";
    if (!partition.startsWith(prefix) || partition.length() != prefix.length() + 8) {
      return null;
    }
    try {
      return LocalDate.parse(partition.substring(prefix.length()), SUFFIX);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Makes sure both tables have a partition for each day from {@code first} for {@code days} days. */
  public void createAhead(LocalDate first, int days) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      for (String table : TABLES) {
        List<String> existing = partitions(c, table);
        for (int i = 0; i < days; i++) {
          LocalDate day = first.plusDays(i);
          if (!existing.contains(name(table, day))) {
            create(c, table, day);
          }
        }
      }
    }
  }

  /** The partitions of a table, the default one included. */
  static List<String> partitions(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits"
        + " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
        + " JOIN pg_class parent ON parent.oid = pg_inherits.inhparent"
        + " WHERE parent.relname = ? AND parent.relnamespace = to_regnamespace(current_schema())::oid")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static void create(Connection c, String table, LocalDate day) throws SQLException {
    String from = bound(day);
    String to = bound(day.plusDays(1));
    int[] moved = new int[1];
    try {
      JdbcTransaction.run(c, tx -> {
        try (Statement s = tx.createStatement()) {
          // Keeps rows from arriving in the default partition between the move and the CREATE.
          s.execute("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
          try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + name(table, day) + "') IS NOT NULL")) {
            if (rs.next() && rs.getBoolean(1)) {
              moved[0] = -1; // another instance created it while this one waited for the lock
              return;
            }
          }
          moved[0] = s.executeUpdate("CREATE TEMP TABLE moving ON COMMIT DROP AS WITH gone AS (DELETE FROM "
              + table + "_default WHERE ts >= '" + from + "' AND ts < '" + to + "' RETURNING *) SELECT * FROM gone");
          s.execute("CREATE TABLE IF NOT EXISTS " + name(table, day) + " PARTITION OF " + table
              + " FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
          s.execute("INSERT INTO " + table + " SELECT * FROM moving");
        }
      });
    } catch (SQLException e) {
      if (DUPLICATE_TABLE.equals(e.getSQLState())) {
        return; // another instance created it first
      }
      throw e;
    }
    if (moved[0] < 0) {
      return;
    }
    LOG.info("request log: created partition {}{}", name(table, day),
        moved[0] > 0 ? " and moved " + moved[0] + " rows into it from the default partition" : "");
  }

  /** Midnight UTC of a day as a timestamptz literal; dates only, never a value from outside. */
  static String bound(LocalDate day) {
    return day + " 00:00:00+00";
  }
}
