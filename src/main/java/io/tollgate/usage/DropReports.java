package io.tollgate.usage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the request log's drops visible in the log as well as in the counters, without a line per request: the
 * first producer to find the queue full warns once, and the writer thread reports how many rows and lines went
 * since its last report, at most every 10 s (and once more when it stops).
 */
final class DropReports {
  private static final Logger LOG = LoggerFactory.getLogger(RequestLogWriter.class);
  private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicBoolean warned = new AtomicBoolean();
  private long reportedRows; // the writer thread's alone
  private long reportedLines;
  private long lastReport;

  /** On a request thread that found the queue full. */
  void queueFull(int capacity) {
    if (!warned.get() && warned.compareAndSet(false, true)) {
      LOG.warn("request log queue full ({} waiting, USAGE_QUEUE_SIZE): finished requests are dropped and counted"
          + " (tollgate_request_log_dropped_total, /healthz)", capacity);
    }
  }

  /** On the writer thread, with the totals so far; {@code last} reports whatever is left unreported. */
  void report(long rows, long lines, boolean last) {
    long now = System.nanoTime();
    if (rows == reportedRows && lines == reportedLines
        || !last && lastReport != 0 && now - lastReport < EVERY_NANOS) {
      return;
    }
    LOG.warn("request log dropped {} rows and {} access-log lines since the last report ({} rows, {} lines in all):"
        + " the queue was full, or the database failed for longer than USAGE_QUEUE_SIZE rows could wait",
        rows - reportedRows, lines - reportedLines, rows, lines);
    reportedRows = rows;
    reportedLines = lines;
    lastReport = now;
    warned.set(false);
  }
}
