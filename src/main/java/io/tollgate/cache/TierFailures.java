package io.tollgate.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the shared tier's database works, as its last calls found. One WARN when calls start failing and one
 * INFO line when one works again, whatever the traffic in between: an outage is one event, not one per request.
 * For a second after a failure, requests do not try to read the tier at all.
 */
final class TierFailures {
  private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Logger LOG = LoggerFactory.getLogger(SharedTier.class);

  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile long failedAt; // System.nanoTime() of the last failure; 0 after a call worked

  /** {@code why}: an exception's class or a plain cause, never a driver's message (it may name hosts and users). */
  void failed(String why) {
    failedAt = System.nanoTime() | 1; // never 0, which means "not failing"
    if (warned.compareAndSet(false, true)) {
      LOG.warn("response cache: the shared tier fails ({}); answers come from this instance's memory or the"
          + " upstream, and answers that cannot be shared are dropped and counted, until it works again", why);
    }
  }

  void worked() {
    failedAt = 0;
    if (warned.compareAndSet(true, false)) {
      LOG.info("response cache: the shared tier works again");
    }
  }

  boolean failingLately() {
    long at = failedAt;
    return at != 0 && System.nanoTime() - at < RECHECK_NANOS;
  }
}
