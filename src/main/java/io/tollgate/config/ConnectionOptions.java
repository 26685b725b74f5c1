package io.tollgate.config;

import io.tollgate.upstream.ConnectionSettings;
import io.tollgate.upstream.TlsFiles;
import io.tollgate.upstream.UpstreamProxy;
import java.nio.file.Path;

/** The connection options of a provider (pool, keep-alive, timeouts, HTTP/2, proxy, TLS files), see docs/CONFIG.md. */
final class ConnectionOptions {
  private ConnectionOptions() {
  }

  /** {@code checkFiles}: open the TLS files now (input time), not only when the client is built. */
  static ConnectionSettings read(OptionValues o, boolean checkFiles) {
    Boolean http2 = o.bool("http2");
    Boolean h2c = o.bool("h2c");
    String proxy = o.string("proxy");
    ConnectionSettings s = new ConnectionSettings(o.integer("max_connections", 1), o.duration("keep_alive", true),
        o.integer("max_keepalive", 0), o.duration("connect_timeout", false), http2, Boolean.TRUE.equals(h2c),
        proxy == null ? null : UpstreamProxy.parse(proxy, o.key("proxy")), tls(o, checkFiles));
    return s.isDefault() ? ConnectionSettings.DEFAULT : s;
  }

  private static TlsFiles tls(OptionValues o, boolean checkFiles) {
    String trust = o.string("trust_store");
    String cert = o.string("client_cert");
    if (trust == null && o.string("trust_store_password") != null) {
      throw new ConfigException(o.key("trust_store_password") + " is set without trust_store");
    }
    if (cert == null && o.string("client_cert_password") != null) {
      throw new ConfigException(o.key("client_cert_password") + " is set without client_cert");
    }
    if (trust == null && cert == null) {
      return null;
    }
    TlsFiles files = new TlsFiles(path(o, "trust_store"), secret(o, "trust_store_password"),
        path(o, "client_cert"), secret(o, "client_cert_password"));
    if (checkFiles) {
      files.check(o.key(""));
    }
    return files;
  }

  private static Path path(OptionValues o, String name) {
    String v = o.string(name);
    try {
      return v == null ? null : Path.of(v);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException(o.key(name) + " is not a file path");
    }
  }

  private static Secret secret(OptionValues o, String name) {
    String v = o.string(name);
    return v == null ? null : Secret.of(v);
  }
}
