package io.tollgate.config;

import java.util.Locale;

/**
 * TOLLGATE_CONFIG_MODE: what the bootstrap file does to entries that already exist. {@code sync} makes them what the
 * file says at every start; {@code seed} only creates the missing ones, so the admin API owns them afterwards.
 */
public enum ConfigMode {
  SYNC, SEED;

  static ConfigMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("TOLLGATE_CONFIG_MODE must be sync or seed");
    }
  }
}
