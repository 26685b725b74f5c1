package io.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made with the JDK's keytool for one test class: a server's (for 127.0.0.1 and
 * localhost) and a client's, each as a PKCS12 key store and a PEM certificate, and a trust store holding the
 * client's certificate for a server that requires one.
 */
public record TestCertificates(Path serverKeyStore, Path serverPem, Path clientKeyStore, Path clientPem,
    Path clientTrustStore, String password) {

  public static TestCertificates make(Path dir) {
    String pw = "changeit";
    Path server = dir.resolve("server.p12");
    Path client = dir.resolve("client.p12");
    keypair(server, "server", "CN=localhost", pw);
    keypair(client, "client", "CN=tollgate-test-client", pw);
    Path serverPem = dir.resolve("server.pem");
    Path clientPem = dir.resolve("client.pem");
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", server.toString(), "-storepass", pw, "-file",
        serverPem.toString());
    keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", client.toString(), "-storepass", pw, "-file",
        clientPem.toString());
    Path trust = dir.resolve("trusted-clients.p12");
    keytool("-importcert", "-noprompt", "-alias", "client", "-file", clientPem.toString(), "-keystore",
        trust.toString(), "-storetype", "PKCS12", "-storepass", pw);
    return new TestCertificates(server, serverPem, client, clientPem, trust, pw);
  }

  private static void keypair(Path store, String alias, String dname, String pw) {
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", store.toString(),
        "-storetype", "PKCS12", "-storepass", pw, "-keypass", pw);
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("keytool did not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The server's private key as PEM (PKCS #8), for servers that read no key stores, such as nginx. */
  public Path serverKeyPem() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(serverKeyStore)) {
        store.load(in, password.toCharArray());
      }
      byte[] der = store.getKey("server", password.toCharArray()).getEncoded();
      Path pem = serverKeyStore.resolveSibling("server-key.pem");
      Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END PRIVATE KEY-----\n");
      return pem;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the server's key as PEM", e);
    }
  }

  /** A client's TLS context that trusts the server's certificate (and nothing else). */
  public SSLContext trustingServer() {
    try (InputStream in = Files.newInputStream(serverPem)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust the server's certificate", e);
    }
  }

  public static String pemOf(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
