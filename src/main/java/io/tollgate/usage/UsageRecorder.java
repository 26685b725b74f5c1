package io.tollgate.usage;

import io.tollgate.config.GatewayConfig;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log writer, off the request path. {@link #record} only offers to a bounded queue: when the queue is
 * full the row is dropped and counted, and the caller never waits. One daemon thread takes the first row, lingers
 * to gather more, and hands the sink up to batchSize rows per call. A failed write keeps its batch and is retried
 * with a growing pause, so rows are lost only when the queue overflows meanwhile or at shutdown.
 */
public final class UsageRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
  private static final long IDLE_POLL_MS = 200; // how soon an idle writer notices close()
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final UsageSink sink;
  private final boolean enabled;
  private final BlockingQueue<UsageEvent> queue;
  private final long lingerNanos;
  private final int batchSize;
  private final long firstBackoffMs;
  private final long maxBackoffMs;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  private final Object monitor = new Object(); // flush() waits on it; close() wakes a backing-off writer with it
  private final Thread writer;
  private volatile boolean closing;
  private volatile boolean abandoned;

  public UsageRecorder(UsageSink sink, GatewayConfig.UsageConfig cfg) {
    this(sink, cfg, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  UsageRecorder(UsageSink sink, GatewayConfig.UsageConfig cfg, Duration firstBackoff, Duration maxBackoff) {
    this.sink = sink;
    this.enabled = cfg.enabled();
    this.queue = new ArrayBlockingQueue<>(enabled ? cfg.queueSize() : 1);
    this.lingerNanos = cfg.linger().toNanos();
    this.batchSize = cfg.batchSize();
    this.firstBackoffMs = Math.max(1, firstBackoff.toMillis());
    this.maxBackoffMs = Math.max(firstBackoffMs, maxBackoff.toMillis());
    this.writer = new Thread(this::run, "tollgate-usage-writer");
    writer.setDaemon(true);
    if (enabled) {
      writer.start();
    }
  }

  /** Queues one row without ever blocking; false if it was dropped because the queue is full or we are closed. */
  public boolean record(UsageEvent event) {
    if (!enabled) {
      return true;
    }
    if (!closing && queue.offer(event)) {
      accepted.incrementAndGet();
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  public long written() {
    return written.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long failedWrites() {
    return failedWrites.get();
  }

  /** Rows accepted but not yet written, including a batch that is waiting for a retry. */
  public int pending() {
    return (int) (accepted.get() - written.get());
  }

  /** Waits until every row accepted before this call is written, or the timeout passes; true if all were written. */
  public boolean flush(Duration timeout) {
    if (!enabled) {
      return true;
    }
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (written.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !writer.isAlive()) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /** Stops taking rows, writes what is queued (waiting up to 10 s), then stops the writer thread. */
  @Override
  public void close() {
    if (!enabled || closing) {
      return;
    }
    closing = true;
    synchronized (monitor) {
      monitor.notifyAll(); // a writer pausing after a failure retries now rather than after its back-off
    }
    try {
      writer.join(CLOSE_WAIT.toMillis());
      if (writer.isAlive()) {
        abandoned = true;
        writer.interrupt();
        writer.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pending() > 0) {
      LOG.warn("usage log closed with {} rows not written", pending());
    }
  }

  private void run() {
    List<UsageEvent> batch = new ArrayList<>(batchSize);
    long backoffMs = firstBackoffMs;
    try {
      while (!abandoned) {
        if (batch.isEmpty() && !gather(batch)) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
        if (write(batch)) {
          batch.clear();
          backoffMs = firstBackoffMs;
        } else {
          pause(backoffMs);
          backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() gave up waiting
    } catch (RuntimeException | Error e) {
      LOG.error("usage log writer stopped; rows will queue up and then be dropped", e);
    }
  }

  /** Waits for a first row, then lingers for more until the batch is full or the linger is over. */
  private boolean gather(List<UsageEvent> batch) throws InterruptedException {
    UsageEvent first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
    if (first == null) {
      return false;
    }
    batch.add(first);
    long deadline = System.nanoTime() + lingerNanos;
    while (batch.size() < batchSize) {
      queue.drainTo(batch, batchSize - batch.size());
      long left = deadline - System.nanoTime();
      if (batch.size() >= batchSize || left <= 0 || closing) {
        break;
      }
      UsageEvent next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      batch.add(next);
    }
    return true;
  }

  private boolean write(List<UsageEvent> batch) {
    try {
      sink.write(batch);
    } catch (Exception e) {
      long failures = failedWrites.incrementAndGet();
      // Rows may hold user text in paths and error messages, so the warning names the failure, not the data.
      LOG.warn("usage log write of {} rows failed ({} failures so far), will retry: {}", batch.size(), failures,
          describe(e));
      return false;
    }
    written.addAndGet(batch.size());
    synchronized (monitor) {
      monitor.notifyAll();
    }
    return true;
  }

  private void pause(long millis) throws InterruptedException {
    synchronized (monitor) {
      // While closing, retry sooner, but still not in a tight loop against a database that is down.
      monitor.wait(closing ? Math.min(millis, 250) : millis);
    }
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
