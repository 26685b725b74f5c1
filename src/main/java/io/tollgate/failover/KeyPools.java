package io.tollgate.failover;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollgate.config.Secret;
import io.tollgate.openai.Json;
import io.tollgate.routing.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every provider's key pool, rebuilt when the routing table changes: a key keeps what was learnt about it (a key
 * refused yesterday stays disabled) as long as the provider still holds it. Sessions' chosen keys are kept for an
 * hour after their last use, for at most {@value #MAX_SESSIONS} sessions.
 */
public final class KeyPools {
  static final int MAX_SESSIONS = 100_000;

  private final KeyPool.Settings settings;
  private final Cache<KeyPool.Sticky, Integer> sessions = Caffeine.newBuilder().maximumSize(MAX_SESSIONS)
      .expireAfterAccess(Duration.ofHours(1)).build();
  private final Map<String, KeyPool> pools = new ConcurrentHashMap<>();

  public KeyPools(Duration cooldown, Duration recheck) {
    this.settings = new KeyPool.Settings(cooldown.toNanos(), recheck.toNanos());
  }

  /** Makes the pools match these providers, keeping each remaining key's state. */
  public synchronized void sync(Collection<Provider> providers) {
    Map<String, KeyPool> next = new HashMap<>();
    providers.forEach(p -> next.put(p.name(), rebuilt(p)));
    pools.keySet().retainAll(next.keySet());
    pools.putAll(next);
  }

  /** The provider's pool, made now if the provider is newer than the last sync. */
  KeyPool pool(Provider p) {
    KeyPool pool = pools.get(p.name());
    if (pool == null || !pool.holds(p.apiKeys())) {
      synchronized (this) {
        pool = pools.get(p.name());
        if (pool == null || !pool.holds(p.apiKeys())) {
          pool = rebuilt(p);
          pools.put(p.name(), pool);
        }
      }
    }
    return pool;
  }

  private KeyPool rebuilt(Provider p) {
    KeyPool old = pools.get(p.name());
    Map<String, PooledKey> known = new HashMap<>();
    if (old != null) {
      old.keys().forEach(k -> known.put(k.secret.reveal(), k));
    }
    return new KeyPool(p.name(), p.apiKeys(), known, settings, sessions);
  }

  /** A key for a call that is no client's request (a model listing): never a disabled one. */
  public Optional<Secret> anyUsable(Provider p) {
    return pool(p).keys().stream().filter(k -> k.state() != PooledKey.State.DISABLED).map(k -> k.secret)
        .findFirst();
  }

  /** A key of a provider's pool: its position in api_keys, and the secret, for the caller to use, never to show. */
  public record PickedKey(int index, Secret secret) {
  }

  /**
   * The key a request to this provider would be given now, for a one-off call such as an admin's test: the pool's
   * state is left as it is (nothing counted, no probe claimed). Empty when the provider has no keys.
   */
  public Optional<PickedKey> peek(Provider p) {
    PooledKey k = pool(p).peek();
    return k == null ? Optional.empty() : Optional.of(new PickedKey(k.index, k.secret));
  }

  /** Re-enables the key at {@code index} of the provider; false when the provider or key does not exist. */
  public boolean enable(String provider, int index) {
    KeyPool pool = pools.get(provider);
    return pool != null && pool.enable(index);
  }

  /** What is known of one key; the secret is for the caller to mask, never to show. */
  public record KeyView(int index, Secret secret, String state, int inFlight, long successes, long failures,
      String reason, Instant since, Instant until) {
  }

  /** Each key of the provider, in the order of its api_keys. */
  public List<KeyView> keys(String provider) {
    KeyPool pool = pools.get(provider);
    if (pool == null) {
      return List.of();
    }
    return pool.keys().stream().map(k -> {
      PooledKey.Condition c = k.condition.get();
      return new KeyView(k.index, k.secret, c.state().name().toLowerCase(Locale.ROOT), k.inFlight.get(),
          k.successes.sum(), k.failures.sum(), c.reason(), c.since(), c.until());
    }).toList();
  }

  /** Counts of keys by state for one provider: {"total":3,"active":2,"cooling":1,...}. */
  public ObjectNode summary(String provider) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    KeyPool pool = pools.get(provider);
    List<PooledKey> keys = pool == null ? List.of() : pool.keys();
    o.put("total", keys.size());
    for (PooledKey.State s : PooledKey.State.values()) {
      o.put(s.name().toLowerCase(Locale.ROOT), keys.stream().filter(k -> k.state() == s).count());
    }
    return o;
  }
}
