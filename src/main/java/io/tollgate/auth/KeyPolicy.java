package io.tollgate.auth;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a client key may do beyond getting in: its owner, the models it may use (names or patterns, empty for all),
 * the client addresses it may come from (addresses or CIDR ranges, empty for any), when it expires, its rate limits
 * (for the key, and per model or pattern), its quota and its response cache mode (null: the global CACHE_MODE).
 * Null limits and quotas mean unlimited.
 */
public record KeyPolicy(Long userId, List<String> models, List<String> ipAllow, Instant expiresAt, RateLimits limits,
    Map<String, RateLimits> modelLimits, Quota quota, String cacheMode) {

  public static final KeyPolicy OPEN = new KeyPolicy(null, List.of(), List.of(), null, RateLimits.NONE, Map.of(),
      Quota.NONE, null);

  /** Requests per minute, per hour, and tokens per minute; null is no limit. */
  public record RateLimits(Integer rpm, Integer rph, Integer tpm) {
    public static final RateLimits NONE = new RateLimits(null, null, null);

    public boolean none() {
      return rpm == null && rph == null && tpm == null;
    }
  }

  /** Tokens and US dollars a key may spend per period ("day", "week", "month", or null for never reset). */
  public record Quota(Long tokens, BigDecimal usd, String period) {
    public static final Quota NONE = new Quota(null, null, null);

    public boolean none() {
      return tokens == null && usd == null;
    }
  }
}
