package io.tollgate.config;

import io.tollgate.config.GatewayConfig.UpstreamConfig;
import io.tollgate.upstream.ConversationPrelude;
import io.tollgate.upstream.UpstreamProxy;
import java.time.Duration;

/**
 * Reads the connection defaults beyond timeouts and pool size: MAX_KEEPALIVE, MASK_AS_BROWSER,
 * CONVERSATION_API_URL and the standard HTTPS_PROXY, HTTP_PROXY and NO_PROXY (lower-case names arrive here under
 * the same upper-case ones).
 */
final class UpstreamSettings {
  private UpstreamSettings() {
  }

  static UpstreamConfig read(Settings s, Duration connect, Duration read, int maxConnections, String quickStartUrl) {
    Integer maxKeepAlive = s.nonBlank("MAX_KEEPALIVE").isPresent() ? s.integer("MAX_KEEPALIVE", 0, 0) : null;
    String conversation = s.nonBlank("CONVERSATION_API_URL")
        .map(u -> PreludeOptions.url(u, "CONVERSATION_API_URL").toString()).orElse(null);
    if (quickStartUrl != null && quickStartUrl.contains(ConversationPrelude.PLACEHOLDER) && conversation == null) {
      throw new ConfigException("UPSTREAM_BASE_URL uses " + ConversationPrelude.PLACEHOLDER
          + ", which needs CONVERSATION_API_URL");
    }
    return new UpstreamConfig(connect, read, maxConnections, maxKeepAlive, s.bool("MASK_AS_BROWSER", false),
        conversation, proxy(s, "HTTPS_PROXY"), proxy(s, "HTTP_PROXY"), s.nonBlank("NO_PROXY").orElse(null));
  }

  private static UpstreamProxy proxy(Settings s, String key) {
    return s.nonBlank(key).map(v -> UpstreamProxy.parse(v, key)).orElse(null);
  }
}
