package io.tollgate.limits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of one shared counter in the current window: a slice reserved from the database and
 * spent from memory. The next slice is fetched in the background once half of the last one is gone; a slice is a
 * tenth of what the counter has left, so far from the limit the database is seldom asked and near it slices shrink
 * to what one request needs, and several instances together never pass the limit. What is left of a slice when
 * the window ends expires with it: that window's row is never read again.
 */
final class Bucket {
  private static final Logger LOG = LoggerFactory.getLogger(Bucket.class);
  private static final int SLICE_DIVISOR = 10;
  private static final long RETRY_AFTER_FAILURE_NANOS = 1_000_000_000L;
  private static final long STUCK_NANOS = LimitGate.MAX_WAIT.toNanos();
  /** A full counter is asked again this often: another instance may have handed back its slice on stopping. */
  private static final long RECHECK_FULL_NANOS = 5_000_000_000L;

  /** How a take went: done, refused, the database unreachable, or wait for this fetch and take again. */
  record Take(Kind kind, CompletableFuture<Void> fetch) {
    enum Kind { TAKEN, REFUSED, UNAVAILABLE, WAIT }

    static final Take TAKEN = new Take(Kind.TAKEN, null);
    static final Take REFUSED = new Take(Kind.REFUSED, null);
    static final Take UNAVAILABLE = new Take(Kind.UNAVAILABLE, null);
  }

  /** The slice of one window: replaced, not reset, when the window rolls, so a late give-back lands in its own. */
  private static final class Slice {
    final long window;
    final AtomicLong local = new AtomicLong();

    Slice(long window) {
      this.window = window;
    }

    /** Takes the whole amount or nothing. */
    boolean tryTake(long amount) {
      long left = local.get();
      while (left >= amount) {
        if (local.compareAndSet(left, left - amount)) {
          return true;
        }
        left = local.get();
      }
      return false;
    }

    /** Takes up to {@code amount}; returns what it took. */
    long takeUpTo(long amount) {
      while (true) {
        long left = local.get();
        long took = Math.min(left, amount);
        if (took <= 0 || local.compareAndSet(left, left - took)) {
          return Math.max(0, took);
        }
      }
    }
  }

  private final CounterKey key;
  private final SharedCounters counters;
  private final Executor executor;
  // Requests of one key take from here on every Tomcat thread at once: the common path is one compare-and-set;
  // the monitor guards only the decisions around a fetch.
  private volatile Slice slice = new Slice(Long.MIN_VALUE);
  private volatile long limit;
  private volatile long sharedUsed;
  private volatile long lastSlice;
  private volatile CompletableFuture<Void> fetching;
  private boolean exhausted;
  private long failedAtNanos;
  private long fetchStartedNanos;
  private long exhaustedAtNanos;
  private boolean failed;

  Bucket(CounterKey key, SharedCounters counters, Executor executor) {
    this.key = key;
    this.counters = counters;
    this.executor = executor;
  }

  CounterKey key() {
    return key;
  }

  Take take(long amount, long window, long newLimit) {
    Slice current = slice;
    if (current.window == window && newLimit == limit && current.tryTake(amount)) {
      if (fetching == null && current.local.get() < lastSlice / 2) {
        prefetchIfLow();
      }
      return Take.TAKEN;
    }
    return takeSlowly(amount, window, newLimit);
  }

  private synchronized Take takeSlowly(long amount, long window, long newLimit) {
    roll(window, newLimit);
    Slice current = slice;
    if (current.tryTake(amount)) {
      prefetchIfLow();
      return Take.TAKEN;
    }
    long local = current.local.get();
    if (exhausted && System.nanoTime() - exhaustedAtNanos < RECHECK_FULL_NANOS) {
      return Take.REFUSED;
    }
    if (failed && System.nanoTime() - failedAtNanos < RETRY_AFTER_FAILURE_NANOS) {
      return Take.UNAVAILABLE;
    }
    if (fetching == null) {
      fetching = fetch(Math.max(amount - local, sliceSize()));
    } else if (System.nanoTime() - fetchStartedNanos > STUCK_NANOS) {
      return Take.UNAVAILABLE; // the database hangs: no request waits for it longer than the first one did
    }
    return new Take(Take.Kind.WAIT, fetching);
  }

  /** An amount taken but not used (a refused request's other counters, an over-estimate) goes back to the slice. */
  void giveBack(long amount, long window) {
    Slice current = slice;
    if (current.window == window) {
      current.local.addAndGet(amount);
    }
  }

  /** Usage beyond what was reserved: from the slice while it lasts, the rest straight onto the shared counter. */
  void charge(long amount, long window) {
    Slice current = slice;
    long rest = current.window == window ? amount - current.takeUpTo(amount) : amount;
    if (rest <= 0) {
      return;
    }
    if (current.window == window) {
      synchronized (this) {
        if (slice == current) {
          sharedUsed += rest;
          if (!exhausted && sharedUsed >= limit) {
            exhausted = true;
            exhaustedAtNanos = System.nanoTime();
          }
        }
      }
    }
    try {
      executor.execute(() -> chargeShared(rest, window));
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      chargeShared(rest, window); // the gateway is stopping: this request's usage still counts
    }
  }

  private void chargeShared(long amount, long window) {
    try {
      counters.charge(key, window, amount);
    } catch (Exception e) {
      LOG.warn("could not add {} to the shared {} counter of key {}: {}", amount, key.metric().column(),
          key.keyId(), e.toString());
    }
  }

  /** What is left for this key in the window as far as this instance knows: the limit less the others' share. */
  long remaining(long window) {
    Slice current = slice;
    long max = limit;
    if (window != current.window) {
      return max;
    }
    return Math.max(0, Math.min(max, max - sharedUsed + current.local.get()));
  }

  /**
   * The unused slice of the current window, taken away so it can be handed back on shutdown, once a fetch on its
   * way (for at most a second) has landed in it.
   */
  long drain() {
    CompletableFuture<Void> pending = fetching;
    if (pending != null) {
      try {
        pending.get(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // not landed in time: that slice stays counted until its window ends
      }
    }
    return slice.local.getAndSet(0);
  }

  long window() {
    return slice.window;
  }

  private void roll(long window, long newLimit) {
    if (window != slice.window) {
      slice = new Slice(window);
      sharedUsed = 0;
      lastSlice = 0;
      exhausted = false;
      fetching = null;
    }
    if (newLimit != limit) {
      limit = newLimit;
      exhausted = sharedUsed >= limit;
      exhaustedAtNanos = System.nanoTime();
    }
  }

  private long sliceSize() {
    return Math.max(1, (limit - sharedUsed) / SLICE_DIVISOR);
  }

  private synchronized void prefetchIfLow() {
    if (fetching == null && !exhausted && !failed && lastSlice > 1 && slice.local.get() < lastSlice / 2) {
      fetching = fetch(sliceSize());
    }
  }

  private CompletableFuture<Void> fetch(long want) {
    long window = slice.window;
    long max = limit;
    fetchStartedNanos = System.nanoTime();
    return CompletableFuture.runAsync(() -> {
      try {
        SharedCounters.Grant grant = counters.grant(key, window, want, max);
        granted(window, grant);
      } catch (Exception e) {
        fetchFailed(window, e);
      }
    }, executor);
  }

  private synchronized void granted(long window, SharedCounters.Grant grant) {
    if (window != slice.window) {
      return; // the window ended while the slice was on its way: it expires with it
    }
    fetching = null;
    failed = false;
    slice.local.addAndGet(grant.granted());
    lastSlice = grant.granted();
    sharedUsed = Math.max(sharedUsed, grant.used());
    exhausted = grant.used() >= limit; // what is left of the slice still serves requests that fit in it
    exhaustedAtNanos = System.nanoTime();
  }

  private synchronized void fetchFailed(long window, Exception e) {
    if (!failed) {
      LOG.warn("cannot reserve from the shared {} counter of key {}: {}", key.metric().column(), key.keyId(),
          e.toString());
    }
    if (window == slice.window) {
      fetching = null;
    }
    failed = true;
    failedAtNanos = System.nanoTime();
  }
}
