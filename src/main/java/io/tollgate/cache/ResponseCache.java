package io.tollgate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollgate.config.CacheConfig;
import io.tollgate.housekeeping.Housekeeping;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The response cache's two tiers and its in-flight productions. The in-process tier (Caffeine) is bounded by bytes
 * and, through the weight of each entry, by entries too; the shared tier is PostgreSQL's (none on the embedded H2
 * database, which only one instance can open). Built by the composition root and found by the servlets through the
 * context.
 */
public final class ResponseCache implements AutoCloseable {
  public static final String ATTRIBUTE = "io.tollgate.responseCache";

  private final CacheConfig config;
  private final Cache<String, CachedAnswer> local;
  /** Null without PostgreSQL. */
  private final SharedTier shared;
  private final Executor workers;
  private final Duration longestWait;
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  public ResponseCache(CacheConfig config, DataSource data, boolean postgres, Executor workers,
      Housekeeping housekeeping, Duration pollInterval, Duration longestWait) {
    this.config = config;
    this.workers = workers;
    this.longestWait = longestWait;
    // Caffeine takes one bound: an entry weighs at least maxBytes / maxEntries, so neither bound is passed.
    long floor = Math.max(1, config.maxBytes() / config.maxEntries());
    this.local = Caffeine.newBuilder()
        .maximumWeight(config.maxBytes())
        .<String, CachedAnswer>weigher((k, v) -> (int) Math.min(Integer.MAX_VALUE, Math.max(v.size(), floor)))
        .expireAfterWrite(config.ttl())
        // Eviction runs on the thread that stored, under Caffeine's try-lock: with every request a miss, handing it
        // to the common pool cost a thread wake-up per store (~3% of a request's CPU on Java 17).
        .executor(Runnable::run)
        .build();
    // The shared table may hold more than this instance keeps: it remembers the newest of them, ten per local entry.
    this.shared = postgres && config.enabled()
        ? new SharedTier(data, workers, Math.max(10_000L, 10L * config.maxEntries()), config.ttl()) : null;
    if (shared != null) {
      housekeeping.soon("cache-poll", shared::poll);
      housekeeping.every("cache-poll", pollInterval, pollInterval, shared::poll);
      housekeeping.every("cache-prune", Duration.ofMinutes(1), Duration.ofMinutes(1), shared::prune);
    }
  }

  public static ResponseCache from(ServletContext context) {
    return (ResponseCache) context.getAttribute(ATTRIBUTE);
  }

  CacheConfig config() {
    return config;
  }

  Executor workers() {
    return workers;
  }

  /** How long a request waits for an identical one's answer: as long as a request may take. */
  Duration longestWait() {
    return longestWait;
  }

  /**
   * The answer stored under {@code hash} when this instance's memory has it, or null when no tier has it (no
   * database round trip either way); {@link #SHARED} when only the shared tier may: ask {@link #findShared}.
   */
  CachedAnswer findHere(String hash) {
    CachedAnswer here = local.getIfPresent(hash);
    if (here != null || shared == null || !shared.knows(hash)) {
      return here;
    }
    return SHARED;
  }

  /** Marks an answer only the shared tier may hold; never sent. */
  static final CachedAnswer SHARED = CachedAnswer.whole(new byte[0]);

  /** The answer stored under {@code hash} in the shared tier, kept in memory when found. */
  CompletableFuture<CachedAnswer> findShared(String hash) {
    return shared.read(hash).thenApply(found -> {
      if (found != null) {
        local.put(hash, found);
      }
      return found;
    });
  }

  /** This instance's copy only (for requests that waited on another's production). */
  CachedAnswer local(String hash) {
    return local.getIfPresent(hash);
  }

  void store(String hash, Long owner, CachedAnswer answer) {
    local.put(hash, answer);
    if (shared != null) {
      shared.write(hash, owner, answer, Instant.now().plus(config.ttl()));
    }
  }

  /** Registers this request as producing {@code hash}; returns the production already under way instead, if any. */
  CompletableFuture<Void> produce(String hash, CompletableFuture<Void> mine) {
    return inFlight.putIfAbsent(hash, mine);
  }

  void produced(String hash, CompletableFuture<Void> mine) {
    inFlight.remove(hash, mine);
    mine.complete(null);
  }

  void counted(boolean hit) {
    (hit ? hits : misses).increment();
  }

  public long hits() {
    return hits.sum();
  }

  /** Lookups that found nothing (requests not looked up are not counted). */
  public long misses() {
    return misses.sum();
  }

  public long sharedWritesDropped() {
    return shared == null ? 0 : shared.dropped();
  }

  /** Empties both tiers (the admin's purge). */
  public void purge() {
    local.invalidateAll();
    if (shared != null) {
      shared.clear();
    }
  }

  @Override
  public void close() {
    if (shared != null) {
      shared.close();
    }
  }
}
