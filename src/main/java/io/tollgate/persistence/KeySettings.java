package io.tollgate.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What an admin may set on a client key besides its name: its owner, allowed models (names or patterns, empty for
 * all), allowed client addresses (addresses or CIDR ranges, empty for any), rate limits, expiry, quota and response cache mode. Null
 * means "not set" (no owner, no limit, never expires).
 */
public record KeySettings(Long userId, List<String> models, List<String> ipAllow, KeyLimits limits, Instant expiresAt,
    Long tokenQuota, BigDecimal budgetUsd, String quotaPeriod, String cacheMode) {
  public static final KeySettings NONE = new KeySettings(null, List.of(), List.of(), KeyLimits.NONE, null, null, null,
      null, null);

  public KeySettings {
    models = models == null ? List.of() : List.copyOf(models);
    ipAllow = ipAllow == null ? List.of() : List.copyOf(ipAllow);
    limits = limits == null ? KeyLimits.NONE : limits;
  }
}
