package io.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client key's policy fields, as the admin API's bodies and the bootstrap file's clients give them: models (names
 * or patterns), ip_allow (addresses or CIDR ranges), rpm, rph, tpm, model_limits ({"model or pattern": {rpm, rph,
 * tpm}}), expires_at (ISO-8601), token_quota, budget_usd, quota_period (day, week, month) and cache_mode
 * (deterministic, all, off; docs/CACHE.md). Absent or null is
 * "not set". Every error is a {@link ConfigException} whose message starts with the key path it is about.
 */
public final class KeyFields {
  public static final Set<String> NAMES = Set.of("models", "ip_allow", "rpm", "rph", "tpm", "model_limits",
      "expires_at", "token_quota", "budget_usd", "quota_period", "cache_mode");
  private static final Set<String> RATES = Set.of("rpm", "rph", "tpm");
  private static final Set<String> PERIODS = Set.of("day", "week", "month");
  private static final Set<String> CACHE_MODES = Set.of("deterministic", "all", "off");

  /** Limits of one scope: requests per minute and hour, tokens per minute; null is no limit. */
  public record Rates(Integer rpm, Integer rph, Integer tpm) {
  }

  public record Values(List<String> models, List<String> ipAllow, Rates rates, Map<String, Rates> modelLimits,
      Instant expiresAt, Long tokenQuota, BigDecimal budgetUsd, String quotaPeriod, String cacheMode) {
    public static final Values NONE = new Values(List.of(), List.of(), new Rates(null, null, null), Map.of(), null,
        null, null, null, null);
  }

  private KeyFields() {
  }

  /** Reads the policy fields of {@code node} (other keys are the caller's to check); {@code at} prefixes paths. */
  public static Values read(JsonNode node, String at) {
    return new Values(strings(node, at, "models", false), strings(node, at, "ip_allow", true), rates(node, at),
        modelLimits(node, at), instant(node, at + "expires_at"), count(node.get("token_quota"), at + "token_quota"),
        money(node.get("budget_usd"), at + "budget_usd"), period(node.get("quota_period"), at + "quota_period"),
        cacheMode(node.get("cache_mode"), at + "cache_mode"));
  }

  private static String cacheMode(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || !CACHE_MODES.contains(value.asText())) {
      throw new ConfigException(path + " must be deterministic, all or off");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode node, String at, String key, boolean addresses) {
    JsonNode list = node.get(key);
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new ConfigException(at + key + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = at + key + "[" + i + "]";
      JsonNode item = list.get(i);
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new ConfigException(path + " must be a non-empty string");
      }
      String value = item.asText().strip();
      if (addresses) {
        try {
          AddressRange.parse(value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(path + " " + e.getMessage());
        }
      } else {
        Names.MODEL.check(value.replace("*", "x"), path);
      }
      out.add(value);
    }
    return List.copyOf(out);
  }

  private static Rates rates(JsonNode node, String at) {
    return new Rates(limit(node.get("rpm"), at + "rpm"), limit(node.get("rph"), at + "rph"),
        limit(node.get("tpm"), at + "tpm"));
  }

  private static Map<String, Rates> modelLimits(JsonNode node, String at) {
    JsonNode map = node.get("model_limits");
    if (map == null || map.isNull()) {
      return Map.of();
    }
    if (!map.isObject()) {
      throw new ConfigException(at + "model_limits must be an object of model names or patterns to {rpm, rph, tpm}");
    }
    Map<String, Rates> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = at + "model_limits." + e.getKey();
      if (!e.getValue().isObject()) {
        throw new ConfigException(path + " must be an object with rpm, rph and/or tpm");
      }
      for (Iterator<String> names = e.getValue().fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!RATES.contains(name)) {
          throw new ConfigException(path + "." + name + " is not a known field; use rpm, rph or tpm");
        }
      }
      out.put(e.getKey(), rates(e.getValue(), path + "."));
    }
    return out;
  }

  private static Integer limit(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
      throw new ConfigException(path + " must be a non-negative integer or null");
    }
    return value.asInt();
  }

  private static Long count(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new ConfigException(path + " must be a non-negative integer or null");
    }
    return value.asLong();
  }

  private static BigDecimal money(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || value.decimalValue().signum() < 0 || value.decimalValue().scale() > 6
        || value.decimalValue().precision() - value.decimalValue().scale() > 12) {
      throw new ConfigException(path + " must be a non-negative number of US dollars (at most 6 decimals) or null");
    }
    return value.decimalValue();
  }

  private static String period(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || !PERIODS.contains(value.asText())) {
      throw new ConfigException(path + " must be day, week, month or null");
    }
    return value.asText();
  }

  private static Instant instant(JsonNode node, String path) {
    JsonNode value = node.get("expires_at");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new ConfigException(path + " must be an ISO-8601 date-time string such as 2026-12-31T23:59:59Z");
    }
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException(path + " must be an ISO-8601 date-time with an offset, such as 2026-12-31T23:59:59Z");
    }
  }
}
