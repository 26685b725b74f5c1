package io.tollgate.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.auth.KeyPolicy.Quota;
import io.tollgate.auth.KeyPolicy.RateLimits;
import io.tollgate.persistence.ClientKeyLimits;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping from a key's stored columns to its {@link KeyPolicy}. A limits column that cannot be read
 * counts as no limits, and says so in the log without its content.
 */
public final class KeyPolicies {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeyPolicies.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final java.util.Set<String> PERIODS = java.util.Set.of("day", "week", "month");

  private KeyPolicies() {
  }

  public static KeyPolicy of(long keyId, ClientKeyLimits columns) {
    JsonNode limits = read(keyId, columns.limits());
    Map<String, RateLimits> perModel = new LinkedHashMap<>();
    limits.path("models").fields().forEachRemaining(e -> {
      RateLimits r = rates(e.getValue());
      if (!r.none()) {
        perModel.put(e.getKey(), r);
      }
    });
    Quota quota = new Quota(columns.tokenQuota(), columns.budgetUsd(), period(keyId, columns.quotaPeriod()));
    return new KeyPolicy(null, List.of(), List.of(), null, rates(limits), Map.copyOf(perModel),
        quota.none() ? Quota.NONE : quota);
  }

  /** An unknown period would fail every request of the key; a quota that never resets is the strict reading. */
  private static String period(long keyId, String period) {
    if (period == null || PERIODS.contains(period)) {
      return period;
    }
    LOG.warn("client key {} has an unknown quota period; its quota is treated as never resetting", keyId);
    return null;
  }

  private static RateLimits rates(JsonNode node) {
    RateLimits r = new RateLimits(limit(node, "rpm"), limit(node, "rph"), limit(node, "tpm"));
    return r.none() ? RateLimits.NONE : r;
  }

  private static Integer limit(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.canConvertToInt() && value.asInt() >= 0 ? value.asInt() : null;
  }

  private static JsonNode read(long keyId, String json) {
    if (json == null || json.isBlank()) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      LOG.warn("client key {} has a limits column that is not JSON; it is treated as unlimited", keyId);
      return MAPPER.createObjectNode();
    }
  }
}
