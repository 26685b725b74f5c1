package io.tollgate.persistence;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Whether one use of the database works, as its last calls found. One WARN when calls start failing and one INFO
 * line when one works again, whatever the traffic in between: an outage is one event, not one per request. For a
 * second after a failure, callers may skip asking ({@link #failingLately()}) rather than pile up waits.
 */
public final class OutageWatch {
  private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Logger log;
  private final String failing;
  private final String back;
  private final LongSupplier nanoClock;
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile long failedAt; // clock time of the last failure; 0 after a call worked

  /** {@code failing}: the warning, with one {@code {}} for why; {@code back}: the line once calls work again. */
  public OutageWatch(Logger log, String failing, String back) {
    this(log, failing, back, System::nanoTime);
  }

  public OutageWatch(Logger log, String failing, String back, LongSupplier nanoClock) {
    this.log = log;
    this.failing = failing;
    this.back = back;
    this.nanoClock = nanoClock;
  }

  /** {@code why}: an exception's class or a plain cause, never a driver's message (it may name hosts and users). */
  public void failed(String why) {
    failedAt = nanoClock.getAsLong() | 1; // never 0, which means "not failing"
    if (warned.compareAndSet(false, true)) {
      log.warn(failing, why);
    }
  }

  public void worked() {
    failedAt = 0;
    if (warned.compareAndSet(true, false)) {
      log.info(back);
    }
  }

  /** A call failed within the last second. */
  public boolean failingLately() {
    long at = failedAt;
    return at != 0 && nanoClock.getAsLong() - at < RECHECK_NANOS;
  }
}
