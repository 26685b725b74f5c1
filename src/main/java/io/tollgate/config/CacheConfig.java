package io.tollgate.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The response cache (docs/CONFIG.md "Response cache"): on or off, how long an answer is kept, the in-process
 * tier's bounds in entries and bytes, the largest answer worth keeping, which requests are cached by default, and
 * whether keys may receive answers cached for other keys.
 */
public record CacheConfig(boolean enabled, Duration ttl, int maxEntries, long maxBytes, int maxEntryBytes,
    Mode mode, boolean shared) {

  /** Which requests are cached: {@code deterministic} only those with {@code temperature: 0}; {@code all} every one. */
  public enum Mode {
    DETERMINISTIC, ALL;

    public static Mode parse(String key, String raw) {
      return switch (raw.strip().toLowerCase(Locale.ROOT)) {
        case "deterministic" -> DETERMINISTIC;
        case "all" -> ALL;
        default -> throw new ConfigException(key + " must be deterministic or all");
      };
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static CacheConfig read(Settings s) {
    Duration ttl = s.duration("CACHE_TTL", Duration.ofSeconds(3600));
    if (ttl.isZero()) {
      throw new ConfigException("CACHE_TTL must be more than zero");
    }
    long maxBytes = s.longValue("CACHE_MAX_BYTES", 64L * 1024 * 1024);
    if (maxBytes < 1) {
      throw new ConfigException("CACHE_MAX_BYTES must be at least 1");
    }
    return new CacheConfig(s.bool("CACHE_ENABLED", true), ttl, s.integer("CACHE_MAX_ENTRIES", 10_000, 1), maxBytes,
        s.integer("CACHE_MAX_ENTRY_BYTES", 1024 * 1024, 1),
        s.nonBlank("CACHE_MODE").map(v -> Mode.parse("CACHE_MODE", v)).orElse(Mode.DETERMINISTIC),
        s.bool("CACHE_SHARED", false));
  }
}
