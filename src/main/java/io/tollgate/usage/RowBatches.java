package io.tollgate.usage;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request-log rows taken off the writer's queue and not yet in the database, handed to the sink oldest first, one
 * batch per call. A failed batch stays at the head and is tried again after a pause that doubles up to a maximum.
 * At most {@code limit} rows are held, so a long outage drops rows rather than fill the heap. Used by the writer
 * thread only, apart from {@link #failedWrites()}.
 */
final class RowBatches {
  private static final Logger LOG = LoggerFactory.getLogger(RowBatches.class);
  private static final long HURRIED_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final UsageSink sink;
  private final int batchSize;
  private final int limit;
  private final long firstPauseNanos;
  private final long maxPauseNanos;
  private final ArrayDeque<UsageEvent> rows = new ArrayDeque<>();
  private final AtomicLong failedWrites = new AtomicLong();
  private long pauseNanos; // zero while writes succeed
  private long failedAt;

  RowBatches(UsageSink sink, int batchSize, int limit, Duration firstPause, Duration maxPause) {
    this.sink = sink;
    this.batchSize = batchSize;
    this.limit = limit;
    this.firstPauseNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), firstPause.toNanos());
    this.maxPauseNanos = Math.max(firstPauseNanos, maxPause.toNanos());
  }

  /** Holds one more row; false if {@code limit} rows are held already and this one is dropped. */
  boolean add(UsageEvent row) {
    if (rows.size() >= limit) {
      return false;
    }
    rows.addLast(row);
    return true;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  long failedWrites() {
    return failedWrites.get();
  }

  /** How long before the next write may be tried: zero unless the last one failed; at most 250 ms in a hurry. */
  long nanosUntilRetry(boolean hurry) {
    if (pauseNanos == 0) {
      return 0;
    }
    long pause = hurry ? Math.min(pauseNanos, HURRIED_PAUSE_NANOS) : pauseNanos;
    return Math.max(0, failedAt + pause - System.nanoTime());
  }

  /** Writes the oldest rows, one batch; returns how many were written, 0 if the sink failed (they stay held). */
  int writeBatch() {
    List<UsageEvent> batch = new ArrayList<>(Math.min(batchSize, rows.size()));
    Iterator<UsageEvent> oldestFirst = rows.iterator();
    while (batch.size() < batchSize && oldestFirst.hasNext()) {
      batch.add(oldestFirst.next());
    }
    try {
      if (pauseNanos == 0) {
        sink.write(batch);
      } else {
        sink.writeAgain(batch); // the last write failed, perhaps after its commit
      }
    } catch (Exception | AssertionError e) {
      // pgjdbc 42.7 throws an AssertionError from executeBatch when the connection closes mid-batch
      // (BatchResultHandler.isAutoCommit); uncaught, it stopped the writer for good. It is a failed write.
      failed(batch.size(), e);
      return 0;
    }
    for (int i = 0; i < batch.size(); i++) {
      rows.removeFirst();
    }
    pauseNanos = 0;
    return batch.size();
  }

  private void failed(int size, Throwable e) {
    long failures = failedWrites.incrementAndGet();
    // Rows may hold user text in paths and error messages, so the warning names the failure, not the data.
    LOG.warn("usage log write of {} rows failed ({} failures so far), will retry: {}", size, failures, describe(e));
    pauseNanos = pauseNanos == 0 ? firstPauseNanos : Math.min(pauseNanos * 2, maxPauseNanos);
    failedAt = System.nanoTime();
  }

  /**
   * One line about a failure without row contents: PostgreSQL's BatchUpdateException repeats the statement with
   * its parameter values, so we report the exception it chains to, and only the first line (details follow).
   */
  static String describe(Throwable e) {
    Throwable t = e;
    if (t instanceof BatchUpdateException b && b.getNextException() != null) {
      t = b.getNextException();
    } else if (t instanceof BatchUpdateException) {
      return "BatchUpdateException [" + ((SQLException) t).getSQLState() + "]";
    }
    String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
    if (message.length() > 200) {
      message = message.substring(0, 200) + "…";
    }
    String state = t instanceof SQLException s && s.getSQLState() != null ? " [" + s.getSQLState() + "]" : "";
    return t.getClass().getSimpleName() + state + ": " + message;
  }
}
