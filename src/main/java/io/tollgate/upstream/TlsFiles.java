package io.tollgate.upstream;

import io.tollgate.config.ConfigException;
import io.tollgate.config.Secret;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A provider's own TLS material: a trust store (a PEM bundle, or a PKCS12/JKS file) that replaces the JDK's
 * default trusted authorities, and a client certificate (PKCS12) for upstreams that require mutual TLS. Either may
 * be null.
 */
public record TlsFiles(Path trustStore, Secret trustStorePassword, Path clientCert, Secret clientCertPassword) {

  /** Loads every file, so an unreadable one fails when the option is written; {@code key} prefixes the option. */
  public void check(String key) {
    if (trustStore != null) {
      trustStore(key + "trust_store");
    }
    if (clientCert != null) {
      keyStore(clientCert, clientCertPassword, key + "client_cert");
    }
  }

  SslContextFactory.Client sslContextFactory() {
    SslContextFactory.Client ssl = new SslContextFactory.Client();
    if (trustStore != null) {
      ssl.setTrustStore(trustStore("trust_store"));
    }
    if (clientCert != null) {
      ssl.setKeyStore(keyStore(clientCert, clientCertPassword, "client_cert"));
      ssl.setKeyStorePassword(clientCertPassword == null ? "" : clientCertPassword.reveal());
    }
    return ssl;
  }

  private KeyStore trustStore(String key) {
    if (!pem(trustStore)) {
      return keyStore(trustStore, trustStorePassword, key);
    }
    try (InputStream in = Files.newInputStream(trustStore)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new ConfigException(key + " holds no certificates");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      return store;
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException(key + " cannot be read as a PEM certificate bundle ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static KeyStore keyStore(Path file, Secret password, String key) {
    if (!Files.isReadable(file)) {
      throw new ConfigException(key + " is not a readable file");
    }
    try {
      return KeyStore.getInstance(file.toFile(), password == null ? new char[0] : password.reveal().toCharArray());
    } catch (Exception e) {
      // The JDK's message may name the file's contents; the exception's kind says enough (wrong password, format).
      throw new ConfigException(key + " cannot be read as a PKCS12 or JKS key store with its password ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static boolean pem(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(64);
      return new String(head, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN");
    } catch (Exception e) {
      return false; // keyStore() reports the unreadable file
    }
  }
}
