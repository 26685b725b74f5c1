package io.tollgate.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/** Plain-JDBC work in one transaction on a connection: committed if it returns, rolled back if it throws. */
public final class JdbcTransaction {
  /** Statements to run in the transaction. */
  public interface Work {
    void run(Connection c) throws SQLException;
  }

  private JdbcTransaction() {
  }

  /** Runs {@code work} in a transaction, then puts the connection's auto-commit back as it was. */
  public static void run(Connection c, Work work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      work.run(c);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
