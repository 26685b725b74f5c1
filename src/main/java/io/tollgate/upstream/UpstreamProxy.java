package io.tollgate.upstream;

import io.tollgate.config.ConfigException;
import io.tollgate.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An outbound HTTP proxy, {@code http://[user:pass@]host:port}; {@link #NONE} when a provider opts out of the
 * environment's proxy. HTTPS upstreams are reached through it with CONNECT.
 */
public record UpstreamProxy(String host, int port, String user, Secret password) {
  public static final UpstreamProxy NONE = new UpstreamProxy("", 0, null, null);

  /** Reads an option or environment value; {@code key} names it in the error, which never quotes the value. */
  public static UpstreamProxy parse(String raw, String key) {
    String value = raw.trim();
    if (value.equalsIgnoreCase("none") || value.equalsIgnoreCase("off")) {
      return NONE;
    }
    if (!value.contains("://")) {
      value = "http://" + value; // HTTPS_PROXY=host:3128 is common
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(key + " must be a proxy URL like http://[user:pass@]host:port, or none");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") || uri.getHost() == null || uri.getPort() > 65535
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null) {
      throw new ConfigException(key + " must be a proxy URL like http://[user:pass@]host:port, or none"
          + " (only http:// proxies are supported)");
    }
    String user = null;
    Secret password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = Secret.of(parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
    }
    return new UpstreamProxy(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), user, password);
  }

  boolean none() {
    return this == NONE || host.isEmpty();
  }
}
