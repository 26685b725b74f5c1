package io.tollgate.failover;

import io.tollgate.config.Secret;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream credential of a provider's pool and what this instance knows of it: calls in flight, their outcomes,
 * and whether it may be used (active), waits out a 429 (cooling), was refused with 401/403 (disabled), or is being
 * tried once after either (probing).
 */
final class PooledKey {
  enum State { ACTIVE, COOLING, DISABLED, PROBING }

  /**
   * An immutable state: why, since when, and until when (cooling ends, or a disabled key is re-checked); the
   * state a probe came from, to go back to if the probe is abandoned.
   */
  record Condition(State state, String reason, Instant since, long untilNanos, Instant until, Condition before) {
    static final Condition ACTIVE = new Condition(State.ACTIVE, null, null, 0, null, null);

    boolean due(long now) {
      return (state == State.COOLING || state == State.DISABLED) && now - untilNanos >= 0;
    }
  }

  /** Its position in the provider's api_keys, which an edit of the provider may change. */
  volatile int index;
  final Secret secret;
  final AtomicInteger inFlight = new AtomicInteger();
  final LongAdder successes = new LongAdder();
  final LongAdder failures = new LongAdder();
  final AtomicReference<Condition> condition = new AtomicReference<>(Condition.ACTIVE);
  volatile long lastUsedNanos;

  PooledKey(int index, Secret secret) {
    this.index = index;
    this.secret = secret;
  }

  State state() {
    return condition.get().state();
  }

  /** Claims the one probe of a key whose cooldown or re-check time has come; false if another caller has it. */
  boolean claimProbe(long now) {
    Condition c = condition.get();
    return c.due(now) && condition.compareAndSet(c,
        new Condition(State.PROBING, c.reason(), Instant.now(), 0, null, c));
  }

  void cool(String reason, long durationNanos) {
    Instant now = Instant.now();
    condition.set(new Condition(State.COOLING, reason, now, System.nanoTime() + durationNanos,
        now.plusNanos(durationNanos), null));
  }

  void disable(String reason, long recheckNanos) {
    Instant now = Instant.now();
    condition.set(new Condition(State.DISABLED, reason, now, System.nanoTime() + recheckNanos,
        now.plusNanos(recheckNanos), null));
  }

  void activate() {
    condition.set(Condition.ACTIVE);
  }

  /** A probe ended without saying anything about the key (its client left): it is due again. */
  void abandonProbe() {
    Condition c = condition.get();
    if (c.state() == State.PROBING && c.before() != null) {
      condition.compareAndSet(c, c.before());
    }
  }
}
