package io.tollgate.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Whether this instance can serve: its database answers and it is not stopping. A probe never waits more than
 * {@link #WAIT}, however the database fails (a pool waiting for a connection, a host that drops packets), and
 * however many probes come: one check runs at a time, and its result is kept for {@link #FRESH}.
 */
public final class Readiness {
  static final Duration WAIT = Duration.ofSeconds(2);
  static final Duration FRESH = Duration.ofSeconds(1);

  private final DataSource dataSource;
  private final Drain drain;
  private final Executor executor;
  private CompletableFuture<DatabaseState> check;
  private long checkStartedNanos;

  /** What the last check of the database found: up or not, how long it took, and why not (never a secret). */
  public record DatabaseState(boolean up, long millis, String error) {
  }

  public Readiness(DataSource dataSource, Drain drain, Executor executor) {
    this.dataSource = dataSource;
    this.drain = drain;
    this.executor = executor;
  }

  public boolean draining() {
    return drain.draining();
  }

  public DatabaseState database() {
    CompletableFuture<DatabaseState> current = currentCheck();
    try {
      return current.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new DatabaseState(false, WAIT.toMillis(), "no answer within " + WAIT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DatabaseState(false, 0, "interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      return new DatabaseState(false, 0, e.getCause().getClass().getSimpleName());
    }
  }

  private synchronized CompletableFuture<DatabaseState> currentCheck() {
    long now = System.nanoTime();
    boolean stale = check == null || check.isDone() && now - checkStartedNanos > FRESH.toNanos();
    if (stale) {
      checkStartedNanos = now;
      check = CompletableFuture.supplyAsync(this::ping, executor);
    }
    return check; // one still running is shared: probes do not pile up behind a database that hangs
  }

  private DatabaseState ping() {
    long start = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      boolean valid = c.isValid((int) WAIT.toSeconds());
      return new DatabaseState(valid, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          valid ? null : "the connection is not valid");
    } catch (SQLException e) {
      // The SQL state, not the message: a driver's message may name hosts, users or worse.
      return new DatabaseState(false, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          "cannot connect (SQL state " + e.getSQLState() + ")");
    }
  }
}
