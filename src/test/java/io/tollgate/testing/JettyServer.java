package io.tollgate.testing;

import io.tollgate.container.OpenAiErrorHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The real webapp (src/main/webapp and its web.xml) in embedded Jetty 12, as {@link GatewayServer} does in Tomcat. */
public final class JettyServer implements WebappServer {
  private final Server server;
  private final String baseUrl;
  private final TestDatabase database;

  private JettyServer(Server server, String baseUrl, TestDatabase database) {
    this.server = server;
    this.baseUrl = baseUrl;
    this.database = database;
  }

  public static JettyServer start(Map<String, String> settings) {
    TestDatabase db = TestDatabase.create();
    try {
      Map<String, String> all = new HashMap<>();
      all.put("TOLLGATE_DB_URL", db.jdbcUrl());
      all.put("TOLLGATE_DB_USER", db.user());
      all.put("TOLLGATE_DB_PASSWORD", db.password() == null ? "" : db.password());
      all.put("TOLLGATE_HOME", Files.createTempDirectory("tollgate-home").toString());
      all.put("logbackDisableServletContainerInitializer", "true");
      all.putAll(settings);
      Server server = new Server();
      // As deploy/jetty: no version in the Server header; what Jetty answers before the webapp (a head past the
      // connector's limits) in OpenAI's JSON shape, without a stack trace.
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      server.setErrorHandler(new OpenAiErrorHandler());
      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      WebAppContext webapp = new WebAppContext();
      webapp.setContextPath("/");
      webapp.setWar(Path.of("src/main/webapp").toAbsolutePath().toString());
      webapp.setClassLoader(new org.eclipse.jetty.ee10.webapp.WebAppClassLoader(
          JettyServer.class.getClassLoader(), webapp));
      webapp.setParentLoaderPriority(true);
      webapp.setThrowUnavailableOnStartupException(true);
      all.forEach(webapp::setInitParameter);
      server.setHandler(webapp);
      server.start();
      return new JettyServer(server, "http://127.0.0.1:" + connector.getLocalPort(), db);
    } catch (Exception e) {
      db.close();
      throw new IllegalStateException("Jetty did not start the webapp", e);
    }
  }

  @Override
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public TestDatabase database() {
    return database;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      database.close();
    }
  }
}
