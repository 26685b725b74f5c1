package io.tollgate.upstream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends upstream exchanges that go quiet for longer than the read timeout. The JDK client's request timeout stops
 * at the response headers, so a stream that stalls after them needs this. One sweeper thread for all exchanges;
 * an exchange pays only a volatile write per event.
 */
final class IdleWatchdog implements AutoCloseable {
  /** One watched exchange. */
  static final class Watch {
    private final Runnable onIdle;
    private volatile long lastActivity = System.nanoTime();

    private Watch(Runnable onIdle) {
      this.onIdle = onIdle;
    }

    void touch() {
      lastActivity = System.nanoTime();
    }
  }

  private final long timeoutNanos;
  private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tollgate-upstream-watchdog");
    t.setDaemon(true);
    return t;
  });

  IdleWatchdog(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    long every = Math.max(20, Math.min(1000, timeout.toMillis() / 10));
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  Watch watch(Runnable onIdle) {
    Watch w = new Watch(onIdle);
    watched.add(w);
    return w;
  }

  void release(Watch w) {
    watched.remove(w);
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Watch w : watched) {
      if (now - w.lastActivity > timeoutNanos && watched.remove(w)) {
        try {
          w.onIdle.run();
        } catch (RuntimeException ignored) {
          // the exchange is being torn down anyway; the sweeper must keep running for the others
        }
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
