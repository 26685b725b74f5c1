package io.tollgate.config;

import io.tollgate.upstream.UpstreamLink;
import java.time.Duration;
import java.util.Map;

/**
 * The provider options that shape how its calls travel (see docs/CONFIG.md), read into an {@link UpstreamLink}. The
 * bootstrap file and the admin API check them with {@link #check}, so a typo fails where it was written rather than
 * on the first request.
 */
public final class ProviderOptions {
  private ProviderOptions() {
  }

  public static UpstreamLink link(String provider, Map<String, String> options) {
    return read(provider, options, "options.");
  }

  /** Fails with a message naming the option ({@code at} + "options.read_timeout") when one cannot be read. */
  static void check(String provider, Map<String, String> options, String at) {
    read(provider, options, at + "options.");
  }

  private static UpstreamLink read(String provider, Map<String, String> options, String prefix) {
    return new UpstreamLink(provider, duration(options, prefix, "first_byte_timeout"),
        duration(options, prefix, "read_timeout"), duration(options, prefix, "total_timeout"), Map.of(), 0, null);
  }

  private static Duration duration(Map<String, String> options, String prefix, String key) {
    String raw = options.get(key);
    if (raw == null) {
      return null;
    }
    Duration d = Settings.parseDuration(prefix + key, raw);
    if (d.isZero()) {
      throw new ConfigException(prefix + key + " must be more than zero");
    }
    return d;
  }
}
