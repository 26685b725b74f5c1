package io.tollgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Typed reads of a provider's options; every failure names the option as written ("providers[0].options.x"). */
final class OptionValues {
  private final Map<String, String> options;
  private final String prefix;

  OptionValues(Map<String, String> options, String prefix) {
    this.options = options;
    this.prefix = prefix;
  }

  String key(String name) {
    return prefix + name;
  }

  String string(String name) {
    String v = options.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  Boolean bool(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> throw new ConfigException(key(name) + " must be true or false");
    };
  }

  Integer integer(String name, int min) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(key(name) + " must be a whole number of at least " + min);
  }

  /** A duration; {@code zeroAllowed} also takes "off" for zero. */
  Duration duration(String name, boolean zeroAllowed) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    // The bootstrap YAML is YAML 1.1, which reads an unquoted off (or no) as false: it arrives here as "false".
    if (zeroAllowed && (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false"))) {
      return Duration.ZERO;
    }
    Duration d = Settings.parseDuration(key(name), v);
    if (d.isZero() && !zeroAllowed) {
      throw new ConfigException(key(name) + " must be more than zero");
    }
    return d;
  }

  /** The options named {@code group + "." + suffix}, by suffix, in order. */
  Map<String, String> group(String group) {
    Map<String, String> out = new LinkedHashMap<>();
    options.entrySet().stream().filter(e -> e.getKey().startsWith(group + "."))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey().substring(group.length() + 1), e.getValue()));
    return out;
  }
}
