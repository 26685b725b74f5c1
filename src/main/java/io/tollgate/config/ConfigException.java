package io.tollgate.config;

/** A setting is missing or malformed; the message names the setting. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
