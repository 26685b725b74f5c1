package io.tollgate.failover;

import com.github.benmanes.caffeine.cache.Cache;
import io.tollgate.config.Secret;
import io.tollgate.failover.PooledKey.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A provider's upstream keys. A lease goes to the least-loaded usable key (fewest in flight, then least recently
 * used), except that a key whose cooldown or re-check time has come gets the next call as its one probe, and a
 * session sticks to the key it was given while that key stays usable. When every key cools down, the one that
 * comes back first is used rather than none; disabled keys are used for nothing until re-enabled or re-checked.
 */
final class KeyPool {
  private final String provider;
  private final List<PooledKey> keys;
  private final Settings settings;
  private final Cache<Sticky, Integer> sessions;

  record Settings(long cooldownNanos, long recheckNanos) {
  }

  /** Which key a session of a provider was given. */
  record Sticky(String provider, String session) {
  }

  KeyPool(String provider, List<Secret> secrets, Map<String, PooledKey> previous, Settings settings,
      Cache<Sticky, Integer> sessions) {
    this.provider = provider;
    this.settings = settings;
    this.sessions = sessions;
    List<PooledKey> list = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      // The same object, not a copy: calls in flight on it report back to the pool that now holds it.
      PooledKey old = previous.remove(secrets.get(i).reveal());
      if (old == null) {
        list.add(new PooledKey(i, secrets.get(i)));
      } else {
        old.index = i;
        list.add(old);
      }
    }
    this.keys = List.copyOf(list);
  }

  List<PooledKey> keys() {
    return keys;
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  /** True when this pool was made from exactly these keys. */
  boolean holds(List<Secret> secrets) {
    if (secrets.size() != keys.size()) {
      return false;
    }
    for (int i = 0; i < secrets.size(); i++) {
      if (secrets.get(i) != keys.get(i).secret && !secrets.get(i).reveal().equals(keys.get(i).secret.reveal())) {
        return false;
      }
    }
    return true;
  }

  /** True when a lease could be had now, ignoring the excluded key positions. */
  boolean usable(Set<Integer> excluded) {
    long now = System.nanoTime();
    for (PooledKey k : keys) {
      if (!excluded.contains(k.index) && (k.state() != State.DISABLED || k.condition.get().due(now))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A key for one call, or null when none may be used: every key not excluded is disabled (and not due for its
   * re-check) or being probed.
   */
  KeyLease lease(String session, Set<Integer> excluded) {
    long now = System.nanoTime();
    PooledKey chosen = null;
    boolean probe = false;
    if (session != null) {
      Integer stuck = sessions.getIfPresent(new Sticky(provider, session));
      if (stuck != null && stuck < keys.size() && !excluded.contains(stuck)
          && keys.get(stuck).state() == State.ACTIVE) {
        chosen = keys.get(stuck);
      }
    }
    PooledKey coolest = null;
    if (chosen == null) {
      for (PooledKey k : keys) {
        if (excluded.contains(k.index)) {
          continue;
        }
        PooledKey.Condition c = k.condition.get();
        if (c.due(now) && k.claimProbe(now)) {
          chosen = k;
          probe = true;
          break;
        }
        if (c.state() == State.ACTIVE) {
          if (chosen == null || less(k, chosen)) {
            chosen = k;
          }
        } else if (coolsSooner(c, coolest)) {
          coolest = k;
        }
      }
    }
    if (chosen == null) {
      chosen = coolest;
    }
    if (chosen == null) {
      return null;
    }
    chosen.inFlight.incrementAndGet();
    chosen.lastUsedNanos = now;
    if (session != null) {
      sessions.put(new Sticky(provider, session), chosen.index);
    }
    return new KeyLease(this, chosen, probe);
  }

  /**
   * The key a lease without a session would get now, with nothing taken: no call counted, no probe claimed. When
   * every key is disabled, the first one, so a test still shows what the upstream makes of it.
   */
  PooledKey peek() {
    long now = System.nanoTime();
    PooledKey chosen = null;
    PooledKey coolest = null;
    for (PooledKey k : keys) {
      PooledKey.Condition c = k.condition.get();
      if (c.due(now)) {
        return k;
      }
      if (c.state() == State.ACTIVE && (chosen == null || less(k, chosen))) {
        chosen = k;
      } else if (coolsSooner(c, coolest)) {
        coolest = k;
      }
    }
    if (chosen == null) {
      chosen = coolest;
    }
    return chosen != null || keys.isEmpty() ? chosen : keys.get(0);
  }

  /** A cooling key whose wait ends before the coolest one found so far: the one to use when no key is active. */
  private static boolean coolsSooner(PooledKey.Condition c, PooledKey coolest) {
    return c.state() == State.COOLING
        && (coolest == null || c.untilNanos() - coolest.condition.get().untilNanos() < 0);
  }

  private static boolean less(PooledKey a, PooledKey b) {
    int inA = a.inFlight.get();
    int inB = b.inFlight.get();
    return inA < inB || (inA == inB && a.lastUsedNanos - b.lastUsedNanos < 0);
  }

  void release(PooledKey key, boolean probe, KeyLease.Outcome outcome, String reason, long cooldownNanos) {
    key.inFlight.decrementAndGet();
    switch (outcome) {
      case SUCCESS -> {
        key.successes.increment();
        if (key.state() != State.ACTIVE) {
          key.activate();
        }
      }
      case REJECTED -> {
        key.failures.increment();
        key.disable(reason, settings.recheckNanos());
      }
      case RATE_LIMITED -> {
        key.failures.increment();
        key.cool(reason, cooldownNanos > 0 ? cooldownNanos : settings.cooldownNanos());
      }
      case FAILED -> {
        // The upstream failed, not the key: a probe still showed the key is accepted again.
        key.failures.increment();
        if (probe) {
          key.activate();
        }
      }
      case ABANDONED -> {
        if (probe) {
          key.abandonProbe();
        }
      }
    }
  }

  /** Re-enables a key by position (an admin's call); false if there is no such key. */
  boolean enable(int index) {
    if (index < 0 || index >= keys.size()) {
      return false;
    }
    keys.get(index).activate();
    return true;
  }
}
