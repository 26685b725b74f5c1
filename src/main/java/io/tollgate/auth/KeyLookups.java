package io.tollgate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.persistence.OutageWatch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key cache's way to the database, for when the database fails. A request that misses the cache waits for
 * the lookup at most {@link #WAIT} (it runs on the executor, so a database that hangs holds a worker, never the
 * request thread), a key it confirmed lately at most 250 ms. Every key the database confirmed is remembered for
 * {@code staleLimit} after that answer; while lookups fail or time out, such a key is served from that last answer
 * (without asking again for a second after a failure; background refreshes keep asking), and a key with no answer
 * gets a 503. One warning when lookups start failing, one line when they work again.
 *
 * <p>An admin change ({@link #forgetAll}) moves the epoch on: an answer read before it (a revoked key's, say) is
 * neither kept as a last answer nor, on a cache miss, returned; the database is asked again instead.
 */
final class KeyLookups {
  static final Duration WAIT = Duration.ofSeconds(2);
  private static final long KNOWN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final Logger LOG = LoggerFactory.getLogger(KeyLookups.class);

  private final Function<String, Optional<KeyEntry>> lookup;
  private final Executor executor;
  private final long waitNanos;
  private final Cache<String, KeyEntry> lastKnown; // null when staleLimit is zero
  /** Moved on by every admin change; an answer asked for before a change is not kept after it. */
  private final AtomicLong epoch = new AtomicLong();
  private final OutageWatch outage;

  KeyLookups(Function<String, Optional<KeyEntry>> lookup, Executor executor, Duration wait, Duration staleLimit,
      Ticker ticker) {
    this.lookup = lookup;
    this.executor = executor;
    this.waitNanos = wait.toNanos();
    this.outage = new OutageWatch(LOG, "client-key lookups fail ({}): keys confirmed by the database before keep"
        + " working on that answer, other keys get 503 until the database answers", "client-key lookups work again",
        ticker::read);
    this.lastKnown = staleLimit.isZero() ? null : Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterWrite(staleLimit).ticker(ticker).build();
  }

  /** For a cache miss, on the request thread: the database's answer within the wait, or the last known one. */
  Optional<KeyEntry> load(String hash) {
    long asked = epoch.get();
    Optional<KeyEntry> answer = ask(hash, asked);
    // An admin change while we asked: the answer may predate it (a revoked key's), so ask once more, after it.
    return epoch.get() == asked ? answer : ask(hash, epoch.get());
  }

  private Optional<KeyEntry> ask(String hash, long asked) {
    KeyEntry known = known(hash);
    if (known != null && outage.failingLately()) {
      return Optional.of(known); // no wait while the database is known to fail; the refresh tries it again
    }
    CompletableFuture<Optional<KeyEntry>> answer = CompletableFuture.supplyAsync(() -> lookup.apply(hash), executor);
    try {
      // A key the database confirmed lately waits less: its last answer is as good as a slow new one.
      long wait = known == null ? waitNanos : Math.min(waitNanos, KNOWN_WAIT_NANOS);
      return answered(hash, answer.get(wait, TimeUnit.NANOSECONDS), asked);
    } catch (ExecutionException e) {
      return lastAnswer(hash, e.getCause());
    } catch (TimeoutException e) {
      return lastAnswer(hash, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    }
  }

  /** For a background refresh of a cached key: the database's answer, or the last known one while it fails. */
  Optional<KeyEntry> reload(String hash, Optional<KeyEntry> old) {
    long asked = epoch.get();
    try {
      Optional<KeyEntry> answer = answered(hash, lookup.apply(hash), asked);
      return epoch.get() == asked ? answer : answered(hash, lookup.apply(hash), epoch.get());
    } catch (RuntimeException e) {
      if (old.isEmpty()) {
        noteFailure(e);
        return old; // an unknown key stays unknown: no key can be created while the database is down
      }
      return lastAnswer(hash, e);
    }
  }

  void forgetAll() {
    epoch.incrementAndGet(); // first: an answer saved from now on, by a lookup asked before, sees the new epoch
    if (lastKnown != null) {
      lastKnown.invalidateAll();
    }
  }

  private Optional<KeyEntry> answered(String hash, Optional<KeyEntry> entry, long asked) {
    outage.worked();
    if (lastKnown != null) {
      if (entry.isPresent() && epoch.get() == asked) {
        lastKnown.put(hash, entry.get());
      }
      // Checked again after the put: a change between the check and the put cleared before it, and must win.
      if (entry.isEmpty() || epoch.get() != asked) {
        lastKnown.invalidate(hash);
      }
    }
    return entry;
  }

  private Optional<KeyEntry> lastAnswer(String hash, Throwable failure) {
    noteFailure(failure);
    KeyEntry known = known(hash);
    if (known == null) {
      throw unavailable();
    }
    return Optional.of(known);
  }

  private KeyEntry known(String hash) {
    return lastKnown == null ? null : lastKnown.getIfPresent(hash);
  }

  private void noteFailure(Throwable failure) {
    // The exception's class only: a driver's message may name hosts and users.
    outage.failed(failure instanceof TimeoutException
        ? "no answer within " + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms" : failure.getClass().getSimpleName());
  }

  private static GatewayException unavailable() {
    return GatewayException.of(ErrorType.SERVICE_UNAVAILABLE,
        "API keys cannot be checked right now: the gateway's database does not answer. Try again shortly.");
  }
}
