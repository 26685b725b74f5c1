package io.tollgate.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Typed reads over the merged configuration map; every failure names the key. */
final class Settings {
  private final Map<String, String> values;

  Settings(Map<String, String> values) {
    this.values = values;
  }

  Optional<String> string(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** A blank value counts as absent for settings that need content (numbers, URLs, switches). */
  Optional<String> nonBlank(String key) {
    return string(key).map(String::trim).filter(v -> !v.isEmpty());
  }

  boolean bool(String key, boolean fallback) {
    Boolean value = parseBool(key, string(key).orElse(""));
    return value == null ? fallback : value;
  }

  /** Null for a blank value. Messages never quote a value: it may come from a file of secrets. */
  static Boolean parseBool(String key, String raw) {
    String v = raw.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "" -> null;
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(key + " must be true or false");
    };
  }

  int integer(String key, int fallback, int min) {
    long value = longValue(key, fallback);
    if (value < min || value > Integer.MAX_VALUE) {
      throw new ConfigException(key + " must be a whole number of at least " + min);
    }
    return (int) value;
  }

  long longValue(String key, long fallback) {
    return nonBlank(key).map(v -> {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a whole number");
      }
    }).orElse(fallback);
  }

  /** A bare number is seconds; otherwise an ISO-8601 duration ("PT0.5S") or a number with ms, s, m or h. */
  Duration duration(String key, Duration fallback) {
    return nonBlank(key).map(v -> parseDuration(key, v)).orElse(fallback);
  }

  static Duration parseDuration(String key, String raw) {
    String v = raw.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("p")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      } else if (v.endsWith("s")) {
        d = fractionalSeconds(v.substring(0, v.length() - 1));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else {
        d = fractionalSeconds(v);
      }
      if (d.isNegative()) {
        throw new ConfigException(key + " must not be negative");
      }
      return d;
    } catch (RuntimeException e) {
      if (e instanceof ConfigException ce) {
        throw ce;
      }
      throw new ConfigException(key + " must be a duration in seconds (or like 500ms, 2m)");
    }
  }

  private static Duration fractionalSeconds(String v) {
    return Duration.ofNanos(Math.round(Double.parseDouble(v.trim()) * 1_000_000_000d));
  }
}
