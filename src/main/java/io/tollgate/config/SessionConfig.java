package io.tollgate.config;

import java.time.Duration;

/**
 * Conversation sessions ({@code X-Session-Id}; docs/CONFIG.md "Sessions"): how many turns and tokens of history are
 * kept (the oldest dropped first, the system message kept), and how long an idle session lives.
 */
public record SessionConfig(boolean enabled, int maxTurns, int maxTokens, Duration ttl) {

  static SessionConfig read(Settings s) {
    Duration ttl = s.duration("SESSION_TTL", Duration.ofHours(24));
    if (ttl.isZero()) {
      throw new ConfigException("SESSION_TTL must be more than zero");
    }
    return new SessionConfig(s.bool("SESSIONS_ENABLED", true), s.integer("SESSION_MAX_TURNS", 50, 1),
        s.integer("SESSION_MAX_TOKENS", 32_000, 1), ttl);
  }
}
