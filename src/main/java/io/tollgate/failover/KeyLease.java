package io.tollgate.failover;

import io.tollgate.config.Secret;

/**
 * One attempt's use of a pooled key (or of no pooled key: a provider without keys, or the caller's own token),
 * released exactly once with what the upstream made of it.
 */
final class KeyLease {
  enum Outcome { SUCCESS, REJECTED, RATE_LIMITED, FAILED, ABANDONED }

  private final KeyPool pool;
  private final PooledKey key;
  private final Secret credential;
  private final boolean probe;
  private boolean released;

  KeyLease(KeyPool pool, PooledKey key, boolean probe) {
    this.pool = pool;
    this.key = key;
    this.credential = key.secret;
    this.probe = probe;
  }

  /** A credential that is not the pool's: nothing to count or release. */
  KeyLease(Secret credential) {
    this.pool = null;
    this.key = null;
    this.credential = credential;
    this.probe = false;
  }

  Secret credential() {
    return credential;
  }

  /** The key's position in the provider's api_keys, or null when no pooled key is used. */
  Integer index() {
    return key == null ? null : key.index;
  }

  boolean pooled() {
    return key != null;
  }

  /** With the reason of a rejection, or the cooldown a 429 asked for (nanoseconds; 0 for the default). */
  synchronized void release(Outcome outcome, String reason, long cooldownNanos) {
    if (released || key == null) {
      return;
    }
    released = true;
    pool.release(key, probe, outcome, reason, cooldownNanos);
  }
}
