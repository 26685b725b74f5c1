package io.tollgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

  public static String pemOf(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
