package io.tollgate.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the three places settings come from into one map keyed by the documented name
 * ({@code TOLLGATE_DB_URL}, {@code REQUIRE_API_KEY}): servlet context parameters lowest, then environment
 * variables, then Java system properties ({@code tollgate.db.url}, {@code tollgate.require.api.key}).
 */
public final class ConfigSources {
  private ConfigSources() {
  }

  public static Map<String, String> merge(Map<String, String> contextParams, Map<String, String> env,
      Map<String, String> systemProperties) {
    Map<String, String> merged = new HashMap<>();
    contextParams.forEach((k, v) -> put(merged, k, v));
    env.forEach((k, v) -> put(merged, k, v));
    systemProperties.forEach((k, v) -> {
      if (k.toLowerCase(Locale.ROOT).startsWith("tollgate.") || GatewayConfig.KEYS.contains(canonical(k))) {
        put(merged, k, v);
      }
    });
    return merged;
  }

  private static void put(Map<String, String> into, String name, String value) {
    if (value != null) {
      into.put(canonical(name), value);
    }
  }

  /** {@code tollgate.require.api.key} and {@code TOLLGATE_REQUIRE_API_KEY} both mean {@code REQUIRE_API_KEY}. */
  static String canonical(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    if (upper.startsWith("TOLLGATE_") && !GatewayConfig.KEYS.contains(upper)) {
      String bare = upper.substring("TOLLGATE_".length());
      if (GatewayConfig.KEYS.contains(bare)) {
        return bare;
      }
    }
    return upper;
  }
}
