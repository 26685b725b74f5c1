package io.tollgate.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's way out: once a stop begins, new requests are refused while those in flight, streams included, get
 * up to SHUTDOWN_GRACE to finish, so that every answer given also has its log row. A request counts from the moment
 * it is let in until its response ends.
 */
public final class Drain {
  private static final Logger LOG = LoggerFactory.getLogger(Drain.class);
  private static final long POLL_MILLIS = 20;
  /** Seconds a refused client is told to wait: about what a replacement instance takes to start. */
  public static final String RETRY_AFTER_SECONDS = "5";

  private final LongAdder inFlight = new LongAdder();
  private final Duration grace;
  private volatile boolean draining;
  private boolean drained;

  public Drain(Duration grace) {
    this.grace = grace;
  }

  /** Lets a request in, unless the gateway is stopping; a request let in must {@link #leave()} once. */
  public boolean enter() {
    inFlight.increment(); // before the flag is read: a stop that has begun either sees this request or refuses it
    if (draining) {
      inFlight.decrement();
      return false;
    }
    return true;
  }

  public void leave() {
    inFlight.decrement();
  }

  public boolean draining() {
    return draining;
  }

  public long inFlight() {
    return inFlight.sum();
  }


  /**
   * Refuses new requests from now on and waits until those in flight have ended or the grace is over. Only the first
   * call waits; the container may call from several places as it stops (a servlet's destroy, the context's end).
   */
  public synchronized void drain() {
    if (drained) {
      return;
    }
    draining = true;
    long start = System.nanoTime();
    long deadline = start + grace.toNanos();
    try {
      while (inFlight.sum() > 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drained = true;
    long left = inFlight.sum();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (left > 0) {
      LOG.warn("stopping with {} requests still open after the {} s grace (SHUTDOWN_GRACE)", left,
          grace.toSeconds());
    } else {
      LOG.info("stopping: every open request ended, after {} ms", waited);
    }
  }
}
