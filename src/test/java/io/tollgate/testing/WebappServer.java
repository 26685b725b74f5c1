package io.tollgate.testing;

import java.util.Map;

/** The webapp deployed in a real container on a loopback port, on a fresh PostgreSQL database of its own. */
public interface WebappServer extends AutoCloseable {
  String baseUrl();

  TestDatabase database();

  @Override
  void close();

  /** The containers the WAR must behave the same on. */
  enum Container {
    TOMCAT, JETTY;

    public WebappServer start(Map<String, String> settings) {
      return this == TOMCAT ? GatewayServer.start(settings) : JettyServer.start(settings);
    }
  }
}
