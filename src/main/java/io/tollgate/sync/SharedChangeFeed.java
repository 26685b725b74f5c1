package io.tollgate.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an admin change reach every instance on the same database. Each change bumps a version number in
 * change_version; every instance checks it each poll interval and reloads everything when it moved. On PostgreSQL an
 * instance also LISTENs on a channel that each change NOTIFYs, so the others check at once rather than at their next
 * poll; the poll stays as the fallback for a lost notification or a dropped listening connection.
 */
public final class SharedChangeFeed extends ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedChangeFeed.class);
  static final String CHANNEL = "tollgate_changes";
  private static final int SLICE_MILLIS = 100;

  private final DataSource dataSource;
  private final boolean notify;
  private final long pollMillis;
  private final AtomicLong seen = new AtomicLong();
  private final Thread watcher;
  private volatile boolean closed;
  private Connection listening;

  /** @param postgres whether the database is PostgreSQL, whose NOTIFY wakes the other instances at once */
  public SharedChangeFeed(DataSource dataSource, boolean postgres, Duration pollInterval) {
    this.dataSource = dataSource;
    this.notify = postgres;
    this.pollMillis = Math.max(1, pollInterval.toMillis());
    seen.set(readVersion());
    watcher = new Thread(this::watch, "tollgate-changes");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Records the change for the other instances, then reloads here; a failed record still reloads here. */
  @Override
  public void changed(Kind kind) {
    try {
      seen.accumulateAndGet(bump(), Math::max);
    } catch (SQLException e) {
      LOG.error("could not record a change of {} for the other instances: they see it at their next change or"
          + " restart ({})", kind, e.getMessage());
    }
    reloadLocally(kind);
  }

  private long bump() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE change_version SET version = version + 1 WHERE id = 1");
        long version;
        try (ResultSet rs = st.executeQuery("SELECT version FROM change_version WHERE id = 1")) {
          version = rs.next() ? rs.getLong(1) : 0;
        }
        if (notify) {
          st.execute("NOTIFY " + CHANNEL); // delivered when the transaction commits
        }
        c.commit();
        return version;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private long readVersion() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT version FROM change_version WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      LOG.warn("could not read the change version: {}", e.getMessage());
      return seen.get();
    }
  }

  private void watch() {
    while (!closed) {
      try {
        waitForNotification();
        long version = readVersion();
        if (version > seen.get()) {
          seen.accumulateAndGet(version, Math::max);
          LOG.debug("another instance changed the configuration (version {}): reloading", version);
          reloadEverything();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("checking for changes failed", e);
      }
    }
  }

  /**
   * Returns after a notification or the poll interval, whichever comes first. Waits in short slices, so that
   * stopping the webapp is not held up by a wait on the socket, which an interrupt does not end.
   */
  private void waitForNotification() throws InterruptedException {
    if (notify && !closed) {
      try {
        if (listening == null || listening.isClosed()) {
          listening = listen();
        }
        org.postgresql.PGConnection pg = listening.unwrap(org.postgresql.PGConnection.class);
        long end = System.nanoTime() + pollMillis * 1_000_000;
        while (!closed && System.nanoTime() < end) {
          org.postgresql.PGNotification[] got = pg.getNotifications(SLICE_MILLIS);
          if (got != null && got.length > 0) {
            return;
          }
        }
        return;
      } catch (SQLException | LinkageError e) {
        // A container DataSource with its own driver, or a dropped connection: poll until it can listen again.
        LOG.debug("not listening for changes: {}", e.toString());
        closeListening();
      }
    }
    long end = System.nanoTime() + pollMillis * 1_000_000;
    while (!closed && System.nanoTime() < end) {
      Thread.sleep(Math.min(SLICE_MILLIS, pollMillis));
    }
  }

  private Connection listen() throws SQLException {
    Connection c = dataSource.getConnection();
    try (Statement st = c.createStatement()) {
      c.setAutoCommit(true);
      st.execute("LISTEN " + CHANNEL);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  private void closeListening() {
    if (listening != null) {
      try {
        listening.close();
      } catch (SQLException ignored) {
        // it is going away either way
      }
      listening = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
    try {
      watcher.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeListening();
  }
}
