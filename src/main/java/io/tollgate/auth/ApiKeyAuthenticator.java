package io.tollgate.auth;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tollgate.config.Secret;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a presented client key into a caller. Lookups go by SHA-256 hash and are cached, unknown keys included,
 * so the request path does not touch the database; a revoked key stops working within the cache's time to live.
 *
 * <p>While the database cannot answer, a key keeps working on its last answer from the database for up to
 * {@code staleLimit} ({@link KeyLookups}); a key with no such answer gets a 503, never a 401, and never waits on
 * the database for more than {@link KeyLookups#WAIT}.
 */
public final class ApiKeyAuthenticator {
  private final LoadingCache<String, Optional<KeyEntry>> byHash;
  private final Map<String, Caller> staticKeys;
  private final KeyLookups lookups;

  /**
   * @param lookup finds the active key a hash opens (a database call)
   * @param staticKeys keys from API_KEYS, held only as hashes
   * @param staleLimit how long a key's last answer may stand in while the database fails (zero: not at all)
   */
  public ApiKeyAuthenticator(Function<String, Optional<KeyEntry>> lookup, List<Secret> staticKeys, Duration ttl,
      Duration staleLimit, Executor executor) {
    this(lookup, staticKeys, ttl, staleLimit, executor, KeyLookups.WAIT, Ticker.systemTicker());
  }

  ApiKeyAuthenticator(Function<String, Optional<KeyEntry>> lookup, List<Secret> staticKeys, Duration ttl,
      Duration staleLimit, Executor executor, Duration wait, Ticker ticker) {
    this.staticKeys = staticKeys.stream().map(Secret::reveal).distinct().collect(Collectors.toUnmodifiableMap(
        KeyHashing::sha256Hex, k -> new Caller(null, "api-keys", KeyHashing.displayPrefix(k))));
    this.lookups = new KeyLookups(lookup, executor, wait, staleLimit, ticker);
    this.byHash = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(ttl)
        .refreshAfterWrite(ttl.dividedBy(2).isZero() ? ttl : ttl.dividedBy(2))
        .executor(executor)
        .ticker(ticker)
        .build(new CacheLoader<>() {
          @Override
          public Optional<KeyEntry> load(String hash) {
            return lookups.load(hash);
          }

          @Override
          public Optional<KeyEntry> reload(String hash, Optional<KeyEntry> old) {
            return lookups.reload(hash, old);
          }
        });
  }

  /**
   * The caller a key opens; empty for an unknown key, a 401 GatewayException for an expired or disabled one, a
   * 503 one for a key the cache does not know while the database cannot be asked.
   */
  public Optional<Caller> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
      return Optional.empty();
    }
    String hash = KeyHashing.sha256Hex(presentedKey);
    Caller fixed = staticKeys.get(hash);
    if (fixed != null) {
      return Optional.of(fixed);
    }
    Optional<KeyEntry> entry = byHash.get(hash);
    return entry.isEmpty() ? Optional.empty() : admitted(entry.get(), Instant.now());
  }

  /**
   * Checked on every request from the cached entry, so the cache never keeps a key alive past its expiry or a
   * rotated secret past its grace.
   */
  private static Optional<Caller> admitted(KeyEntry entry, Instant now) {
    if (entry.secretUntil() != null && !now.isBefore(entry.secretUntil())) {
      return Optional.empty();
    }
    if (entry.userDisabled()) {
      throw GatewayException.of(ErrorType.INVALID_API_KEY, "This API key belongs to a disabled user.");
    }
    Instant expires = entry.caller().policy().expiresAt();
    if (expires != null && !now.isBefore(expires)) {
      throw GatewayException.of(ErrorType.KEY_EXPIRED, "This API key expired at " + expires + ".");
    }
    return Optional.of(entry.caller());
  }

  /**
   * After a key is revoked or created here, this node stops trusting what it cached, including the answers kept
   * for an outage: a revoked key must not come back from them.
   */
  public void invalidateAll() {
    byHash.invalidateAll();
    lookups.forgetAll();
  }
}
