package io.tollgate.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the places settings come from into one map keyed by the documented name ({@code TOLLGATE_DB_URL},
 * {@code REQUIRE_API_KEY}), lowest first: servlet context parameters, the env file named by
 * {@code TOLLGATE_ENV_FILE}, environment variables, Java system properties ({@code tollgate.db.url}, and
 * OpenTelemetry's {@code otel.*}). The older
 * proxies' names are mapped onto Tollgate's on the way in ({@link LegacySettings}).
 */
public final class ConfigSources {
  static final String ENV_FILE = "TOLLGATE_ENV_FILE";

  private ConfigSources() {
  }

  public static Map<String, String> merge(Map<String, String> contextParams, Map<String, String> env,
      Map<String, String> systemProperties) {
    Map<String, String> properties = new HashMap<>();
    systemProperties.forEach((k, v) -> {
      String name = canonical(k);
      if (k.toLowerCase(Locale.ROOT).startsWith("tollgate.") || GatewayConfig.KEYS.contains(name)
          || OtelConfig.standard(name)) {
        properties.put(k, v);
      }
    });
    Map<String, String> context = canonical(contextParams);
    Map<String, String> environment = canonical(env);
    Map<String, String> system = canonical(properties);
    Map<String, String> merged = new HashMap<>(LegacySettings.fromSource(context, "the context parameters"));
    String envFile = system.getOrDefault(ENV_FILE, environment.getOrDefault(ENV_FILE, context.get(ENV_FILE)));
    if (envFile != null && !envFile.isBlank()) {
      Map<String, String> fromFile = canonical(EnvFile.read(Path.of(envFile.strip())));
      fromFile.remove(ENV_FILE); // one file, named from outside it
      merged.putAll(LegacySettings.fromFile(fromFile, envFile.strip()));
    }
    merged.putAll(LegacySettings.fromSource(environment, "the environment"));
    merged.putAll(LegacySettings.fromSource(system, "the system properties"));
    return merged;
  }

  private static Map<String, String> canonical(Map<String, String> source) {
    Map<String, String> out = new LinkedHashMap<>();
    source.forEach((k, v) -> put(out, k, v));
    return out;
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
      if (GatewayConfig.KEYS.contains(bare) && !OtelConfig.standard(bare)) { // OTEL_* has one name everywhere
        return bare;
      }
    }
    return upper;
  }
}
