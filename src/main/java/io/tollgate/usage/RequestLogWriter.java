package io.tollgate.usage;

import io.tollgate.config.GatewayConfig;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what each request leaves behind, off the request path: its access-log line always, and its request-log
 * row when the request is recorded and usage logging is on. {@link #submit} adds to a bounded lock-free queue and
 * never waits; when the queue is full the request is dropped, and its line and row counted. One daemon thread takes the
 * first entry, lingers to gather more, logs their lines and hands their rows to the sink in batches. A failed
 * write keeps its rows and is retried with a growing pause; newer lines go out between the attempts. Each request
 * is also shown to the {@code finished} observer (the request metrics) on that thread, so the request thread pays
 * nothing for them, with usage logging on or off.
 *
 * <p>Producers wake the writer only when it has said it is idle, or when a whole batch is waiting: never per
 * request. A wake-up per request (a futex call on the request thread) was a measurable share of the gateway's CPU.
 */
public final class RequestLogWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestLogWriter.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final long MIN_RETRY_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** One finished request; {@code row} is false when only its access line is wanted. */
  private record Entry(UsageEvent event, boolean row) {
  }

  private final boolean enabled;
  private final int capacity;
  private final int batchSize;
  private final long lingerNanos;
  private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger(); // the queue's bound; its own size() walks the queue
  private final AtomicBoolean idle = new AtomicBoolean();
  private final RowBatches rows;
  private final Consumer<UsageEvent> finished;
  private final LongAdder submitted = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final AtomicLong logged = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedLines = new AtomicLong();
  private final AtomicLong droppedWhileHeld = new AtomicLong();
  private final AtomicLong wakeUps = new AtomicLong();
  private final DropReports dropReports = new DropReports();
  private final Object progress = new Object(); // flush() waits on it
  private final Thread writer;
  private volatile boolean closing;
  private volatile boolean abandoned;

  public RequestLogWriter(UsageSink sink, GatewayConfig.UsageConfig cfg) {
    this(sink, cfg, event -> { });
  }

  /** {@code finished} sees every request taken off the queue, on the writer thread; it must not block. */
  public RequestLogWriter(UsageSink sink, GatewayConfig.UsageConfig cfg, Consumer<UsageEvent> finished) {
    this(sink, cfg, finished, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  RequestLogWriter(UsageSink sink, GatewayConfig.UsageConfig cfg, Duration firstBackoff, Duration maxBackoff) {
    this(sink, cfg, event -> { }, firstBackoff, maxBackoff);
  }

  private RequestLogWriter(UsageSink sink, GatewayConfig.UsageConfig cfg, Consumer<UsageEvent> finished,
      Duration firstBackoff, Duration maxBackoff) {
    this.finished = finished;
    this.enabled = cfg.enabled();
    this.capacity = cfg.queueSize();
    this.batchSize = cfg.batchSize();
    this.lingerNanos = cfg.linger().toNanos();
    this.rows = new RowBatches(sink, batchSize, capacity, firstBackoff, maxBackoff);
    this.writer = new Thread(this::run, "tollgate-log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues one finished request without ever blocking: its access line, and its row if {@code recorded} and usage
   * logging is on. False if it was dropped because the queue is full or we are closing.
   */
  public boolean submit(UsageEvent event, boolean recorded) {
    boolean row = recorded && enabled;
    int size = queued.incrementAndGet();
    if (size > capacity || closing) {
      queued.decrementAndGet();
      droppedLines.incrementAndGet();
      if (row) {
        dropped.incrementAndGet();
      }
      if (!closing) {
        dropReports.queueFull(capacity);
      }
      return false;
    }
    queue.offer(new Entry(event, row));
    submitted.increment();
    if (row) {
      accepted.increment();
    }
    if (size == batchSize || idle.get() && idle.compareAndSet(true, false)) {
      wakeUps.incrementAndGet();
      LockSupport.unpark(writer);
    }
    return true;
  }

  public long written() {
    return written.get();
  }

  /** Rows lost: refused by a full queue, or beyond the rows held for a database that keeps failing. */
  public long dropped() {
    return dropped.get();
  }

  /** Access-log lines lost because the queue was full or we were closing, whether or not a row went with them. */
  public long droppedLines() {
    return droppedLines.get();
  }

  public long failedWrites() {
    return rows.failedWrites();
  }

  /** Rows accepted but not yet written, including those held for a retry. */
  public int pending() {
    return (int) Math.max(0, accepted.sum() - written.get() - droppedWhileHeld.get());
  }

  /** Requests waiting in the queue for the writer (their lines, and their rows when logged). */
  public int queued() {
    return Math.max(0, queued.get());
  }

  /** How often a producer woke the writer: about once per batch, never once per request. */
  long wakeUps() {
    return wakeUps.get();
  }

  /** Whether the writer is asleep until a first request comes. */
  boolean idle() {
    return idle.get();
  }

  /**
   * Waits until every request submitted before this call has its access line logged and its row written (or
   * dropped while held), or the timeout passes; true if they all have.
   */
  public boolean flush(Duration timeout) {
    long lines = submitted.sum();
    long rowsTarget = accepted.sum();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (logged.get() < lines || written.get() + droppedWhileHeld.get() < rowsTarget) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !writer.isAlive()) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /** Stops taking requests, writes what is queued (waiting up to 10 s), then stops the writer thread. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    LockSupport.unpark(writer); // an idle or lingering writer finishes now; one pausing after a failure retries soon
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
    try {
      while (!abandoned && awaitWork()) {
        takeBatch();
        if (!rows.isEmpty() && rows.nanosUntilRetry(closing) == 0) {
          written.addAndGet(rows.writeBatch());
        }
        synchronized (progress) {
          progress.notifyAll();
        }
        dropReports.report(dropped.get(), droppedLines.get(), false);
      }
      dropReports.report(dropped.get(), droppedLines.get(), true);
    } catch (RuntimeException | Error e) {
      LOG.error("request log writer stopped; requests will queue up and then be dropped", e);
    }
  }

  /** Sleeps until there is something to do; false once closing with nothing queued or held. */
  private boolean awaitWork() {
    if (rows.isEmpty()) {
      if (!awaitFirst()) {
        return false;
      }
      linger();
      return true;
    }
    long untilRetry = rows.nanosUntilRetry(closing);
    if (untilRetry > 0) {
      // Held rows wait for their retry, but newer lines keep going out at about the linger's pace meanwhile.
      LockSupport.parkNanos(this, Math.min(untilRetry, Math.max(lingerNanos, MIN_RETRY_TICK_NANOS)));
    }
    return true;
  }

  /** Parks until something is queued; false if closing with nothing queued. */
  private boolean awaitFirst() {
    while (queued.get() == 0) {
      if (closing) {
        return false;
      }
      idle.set(true);
      // Look again after raising the flag: a request queued just before a producer could see it would wait.
      if (queued.get() == 0 && !closing) {
        LockSupport.park(this);
      }
      idle.set(false);
    }
    return true;
  }

  /** Gives producers one linger to add to the batch; they cut it short only when a whole batch is waiting. */
  private void linger() {
    long deadline = System.nanoTime() + lingerNanos;
    long left;
    while (!closing && queued.get() < batchSize && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
  }

  /** Takes up to one batch of requests off the queue: logs each line, holds each row for the sink. */
  private void takeBatch() {
    for (int i = 0; i < batchSize; i++) {
      Entry e = queue.poll();
      if (e == null) {
        return;
      }
      queued.decrementAndGet();
      if (e.row() && !rows.add(e.event())) {
        droppedWhileHeld.incrementAndGet();
        dropped.incrementAndGet();
      }
      AccessLog.write(e.event());
      observe(e.event());
      logged.incrementAndGet();
    }
  }

  /** A failing observer costs its own numbers, never the log writer thread. */
  private void observe(UsageEvent event) {
    try {
      finished.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("request {}: its metrics could not be recorded", event.requestId(), e);
    }
  }
}
