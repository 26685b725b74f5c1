package io.tollgate.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tollgate.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a presented client key into a caller. Lookups go by SHA-256 hash and are cached, unknown keys included,
 * so the request path does not touch the database; a revoked key stops working within the cache's time to live.
 */
public final class ApiKeyAuthenticator {
  private final LoadingCache<String, Optional<Caller>> byHash;
  private final Map<String, Caller> staticKeys;

  /**
   * @param lookup finds an active key by its hash (a database call)
   * @param staticKeys keys from API_KEYS, held only as hashes
   */
  public ApiKeyAuthenticator(Function<String, Optional<Caller>> lookup, List<Secret> staticKeys, Duration ttl,
      Executor executor) {
    this.staticKeys = staticKeys.stream().map(Secret::reveal).distinct().collect(Collectors.toUnmodifiableMap(
        KeyHashing::sha256Hex, k -> new Caller(null, "api-keys", KeyHashing.displayPrefix(k))));
    this.byHash = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(ttl)
        .refreshAfterWrite(ttl.dividedBy(2).isZero() ? ttl : ttl.dividedBy(2))
        .executor(executor)
        .build(lookup::apply);
  }

  public Optional<Caller> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
      return Optional.empty();
    }
    String hash = KeyHashing.sha256Hex(presentedKey);
    Caller fixed = staticKeys.get(hash);
    if (fixed != null) {
      return Optional.of(fixed);
    }
    return byHash.get(hash);
  }

  /** After a key is revoked or created here, this node stops trusting what it cached. */
  public void invalidateAll() {
    byHash.invalidateAll();
  }
}
