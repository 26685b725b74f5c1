package io.tollgate.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The real webapp (src/main/webapp/WEB-INF/web.xml, its filters and servlets) in embedded Tomcat on a free
 * loopback port, on a fresh PostgreSQL database of its own. Settings go in as servlet context parameters.
 */
public final class GatewayServer implements AutoCloseable {
  private final Tomcat tomcat;
  private final String baseUrl;
  private final TestDatabase database;
  private final Path home;

  private GatewayServer(Tomcat tomcat, String baseUrl, TestDatabase database, Path home) {
    this.tomcat = tomcat;
    this.baseUrl = baseUrl;
    this.database = database;
    this.home = home;
  }

  public static GatewayServer start(Map<String, String> settings) {
    return start("", settings);
  }

  public static GatewayServer start(String contextPath, Map<String, String> settings) {
    TestDatabase db = TestDatabase.create();
    Map<String, String> all = new HashMap<>();
    all.put("TOLLGATE_DB_URL", db.jdbcUrl());
    all.put("TOLLGATE_DB_USER", db.user());
    all.put("TOLLGATE_DB_PASSWORD", db.password() == null ? "" : db.password());
    all.putAll(settings);
    try {
      return startOn(contextPath, all, db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Without a database URL: the zero-setup default (H2 under TOLLGATE_HOME). */
  public static GatewayServer startWithoutDatabase(Map<String, String> settings) {
    return startOn("", settings, null);
  }

  private static GatewayServer startOn(String contextPath, Map<String, String> settings, TestDatabase db) {
    try {
      Path base = Files.createTempDirectory("tollgate-tomcat");
      Path home = Files.createTempDirectory("tollgate-home");
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(base.toString());
      tomcat.setHostname("127.0.0.1");
      Connector connector = tomcat.getConnector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      Context ctx = tomcat.addWebapp(contextPath, new File("src/main/webapp").getAbsolutePath());
      ((StandardJarScanner) ctx.getJarScanner()).setScanClassPath(false);
      ctx.setParentClassLoader(GatewayServer.class.getClassLoader());
      ctx.addParameter("TOLLGATE_HOME", home.toString());
      settings.forEach(ctx::addParameter);
      tomcat.start();
      if (ctx.getState() != LifecycleState.STARTED) {
        tomcat.stop();
        tomcat.destroy();
        throw new IllegalStateException("the webapp did not start; see the log above");
      }
      String url = "http://127.0.0.1:" + connector.getLocalPort() + contextPath;
      return new GatewayServer(tomcat, url, db, home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  public TestDatabase database() {
    return database;
  }

  public Path home() {
    return home;
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }
}
