package io.tollgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The names older single-purpose proxies ("xxx2api", openai-proxy, one-api style gateways) used, mapped onto
 * Tollgate's, so that their .env files work as they are (docs/MIGRATING.md). Messages name settings, never values.
 */
final class LegacySettings {
  private static final Logger LOG = LoggerFactory.getLogger(LegacySettings.class);
  private static final String PREFIX = "TOLLGATE_";

  /** Names no other software is likely to set: read from every source. */
  private static final Map<String, String> SPECIFIC = Map.of(
      "MAX_RETRIES", "RETRY_TIMES",
      "USE_DATABASE_AUTH", "REQUIRE_API_KEY");

  /** Names anything may set in a container: read only from the env file or with the TOLLGATE_ prefix. */
  private static final Map<String, String> GENERIC = Map.of(
      "TYPE", "UPSTREAM_TYPE",
      "API_KEY", "UPSTREAM_API_KEY",
      "BASE_URL", "UPSTREAM_BASE_URL",
      "TIMEOUT", "READ_TIMEOUT");

  /** TYPE's values in the older proxies, and Tollgate's own. */
  private static final Map<String, String> TYPES = Map.of(
      "openai", "openai", "azure", "azure", "anthropic", "anthropic", "gemini", "gemini",
      "google", "gemini", "azure_openai", "azure", "custom", "openai", "claude", "anthropic");

  private final String source;
  private final Map<String, String> out = new LinkedHashMap<>();
  /** Canonical name → the name its value came from in this source, to name both in a conflict. */
  private final Map<String, String> setBy = new LinkedHashMap<>();

  private LegacySettings(String source) {
    this.source = source;
  }

  /** The env file's settings: every name it holds, generic ones included, is read as the older proxy read it. */
  static Map<String, String> fromFile(Map<String, String> settings, String file) {
    Map<String, String> mapped = new LegacySettings(file).map(settings, true);
    Set<String> unused = new TreeSet<>();
    settings.keySet().stream().filter(n -> !known(n)).forEach(unused::add);
    if (!unused.isEmpty()) {
      LOG.info("{}: not Tollgate settings, so not used: {} (see docs/MIGRATING.md)", file, String.join(", ", unused));
    }
    if (settings.containsKey("PORT")) {
      LOG.warn("{}: PORT is not used: a WAR does not choose its port, its container does (the README's run command"
          + " takes -Dtollgate.port=<port>; Tomcat: the Connector in server.xml; Jetty: jetty.http.port)", file);
    }
    return mapped;
  }

  /** Context parameters, the environment or system properties: generic names count only with TOLLGATE_. */
  static Map<String, String> fromSource(Map<String, String> settings, String source) {
    return new LegacySettings(source).map(settings, false);
  }

  private Map<String, String> map(Map<String, String> settings, boolean genericBare) {
    settings.forEach((name, value) -> {
      if (!legacy(name)) {
        put(name, name, value);
      }
    });
    settings.forEach((name, value) -> {
      String bare = bare(name);
      if (SPECIFIC.containsKey(bare)) {
        translated(name, SPECIFIC.get(bare), value);
      } else if (GENERIC.containsKey(bare) && (genericBare || !bare.equals(name))) {
        translated(name, GENERIC.get(bare), value);
      }
    });
    return out;
  }

  private static String bare(String name) {
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  private static boolean legacy(String name) {
    return SPECIFIC.containsKey(bare(name)) || GENERIC.containsKey(bare(name));
  }

  private static boolean known(String name) {
    return GatewayConfig.KEYS.contains(name) || OtelConfig.standard(name) || legacy(name) || name.equals("PORT");
  }

  private void translated(String name, String target, String value) {
    switch (target) {
      case "UPSTREAM_TYPE" -> put(name, target, type(name, value));
      case "REQUIRE_API_KEY" -> {
        // true: client keys are checked against the database, as Tollgate always does (and API_KEYS besides).
        // false: the older proxy's static keys, which are API_KEYS here; it does not open the gateway.
        if (Boolean.TRUE.equals(Settings.parseBool(name, value))) {
          put(name, target, "true");
        }
      }
      default -> put(name, target, value);
    }
  }

  private String type(String name, String value) {
    String type = TYPES.get(value.strip().toLowerCase(Locale.ROOT));
    if (type == null) {
      throw new ConfigException(name + " in " + source + " must be one of "
          + String.join(", ", List.copyOf(new TreeSet<>(TYPES.keySet()))));
    }
    return type;
  }

  /** Two names for one setting in one source must agree: which one was meant is not ours to guess. */
  private void put(String name, String target, String value) {
    String earlier = out.get(target);
    if (earlier != null && !same(target, earlier, value)) {
      throw new ConfigException(setBy.get(target) + " and " + name + " are both set in " + source
          + ", to different values; they mean the same setting (" + target + "), so keep one");
    }
    out.put(target, value);
    setBy.putIfAbsent(target, name);
  }

  private static boolean same(String target, String a, String b) {
    return switch (target) {
      case "REQUIRE_API_KEY" -> Settings.parseBool(target, a) == Settings.parseBool(target, b);
      case "UPSTREAM_TYPE" -> a.strip().equalsIgnoreCase(b.strip());
      default -> a.strip().equals(b.strip());
    };
  }
}
