package io.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A gateway in a process of its own, for {@link GatewayProcess}: the real webapp in embedded Tomcat on a free
 * loopback port, with the settings of the properties file named by the first argument (a database URL among them;
 * without one, H2 under a fresh home). Prints {@value #READY} and its base URL when it answers, and stops when
 * its standard input ends, which is when the parent closes it or dies.
 */
public final class GatewayMain {
  static final String READY = "TOLLGATE_LISTENING ";

  private GatewayMain() {
  }

  public static void main(String[] args) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      properties.load(in);
    }
    Map<String, String> settings = new HashMap<>();
    properties.forEach((k, v) -> settings.put(k.toString(), v.toString()));
    GatewayServer server = GatewayServer.startWithoutDatabase(settings);
    System.out.println(READY + server.baseUrl());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // nothing to do with input: its end is the signal to stop
      }
    } finally {
      server.close();
      System.exit(0);
    }
  }
}
