package io.tollgate.config;

/**
 * What the request log keeps beyond its narrow row (docs/CONFIG.md "Request log"): request and response bodies,
 * off by default and cut at {@code bodyMaxBytes}; and for how many days rows are kept ({@code 0}: for ever).
 */
public record LogConfig(boolean bodies, int bodyMaxBytes, int retentionDays) {

  static LogConfig read(Settings s) {
    return new LogConfig(s.bool("LOG_BODIES", false), s.integer("LOG_BODY_MAX_BYTES", 64 * 1024, 1),
        s.integer("LOG_RETENTION_DAYS", 30, 0));
  }
}
