package io.tollgate.upstream;

import java.time.Duration;

/**
 * A provider's own connection settings; null (or false) means the gateway's default. Providers with equal settings
 * share one HTTP client, and providers with none share the default client.
 */
public record ConnectionSettings(Integer maxConnections, Duration keepAlive, Integer maxKeepAlive,
    Duration connectTimeout, Boolean http2, boolean h2c, UpstreamProxy proxy, TlsFiles tls) {

  public static final ConnectionSettings DEFAULT = new ConnectionSettings(null, null, null, null, null, false, null,
      null);

  public boolean isDefault() {
    return this == DEFAULT || equals(DEFAULT);
  }

  /** {@code keep_alive: 0}: every connection is closed after its exchange (which also means HTTP/1.1). */
  boolean noKeepAlive() {
    return keepAlive != null && keepAlive.isZero();
  }
}
