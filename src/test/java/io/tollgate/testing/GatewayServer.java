package io.tollgate.testing;

import io.tollgate.container.OpenAiErrorReportValve;
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
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The real webapp (src/main/webapp/WEB-INF/web.xml, its filters and servlets, or the packaged WAR) in embedded
 * Tomcat on a free loopback port, on a fresh PostgreSQL database of its own. Settings go in as servlet context
 * parameters.
 */
public final class GatewayServer implements WebappServer {
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

  /** A settings key that sets a property of Tomcat's connector instead: {@code connector.socket.txBufSize}. */
  public static final String CONNECTOR = "connector.";

  public static GatewayServer start(Map<String, String> settings) {
    return start("", settings);
  }

  public static GatewayServer start(String contextPath, Map<String, String> settings) {
    return onFreshDatabase(Webapp.SOURCES, contextPath, settings);
  }

  /**
   * The packaged WAR (as built by {@code mvn package}) under {@code contextPath}, on a fresh database. Its class
   * loader sees only what Tomcat provides besides the WAR itself, so a library missing from WEB-INF/lib fails here.
   */
  public static GatewayServer startWar(Path war, String contextPath, Map<String, String> settings) {
    return onFreshDatabase(new Webapp(war, true), contextPath, settings);
  }

  /**
   * Another instance on a database that outlives it (one that a test shares between instances): closing this server
   * leaves the database alone.
   */
  public static GatewayServer startOn(TestDatabase db, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>();
    all.put("TOLLGATE_DB_URL", db.jdbcUrl());
    all.put("TOLLGATE_DB_USER", db.user());
    all.put("TOLLGATE_DB_PASSWORD", db.password() == null ? "" : db.password());
    all.putAll(settings);
    return startOn(Webapp.SOURCES, "", newHome(), all, null);
  }

  /** Without a database URL: the zero-setup default (H2 under TOLLGATE_HOME). */
  public static GatewayServer startWithoutDatabase(Map<String, String> settings) {
    return startWithoutDatabase(newHome(), settings);
  }

  /** The zero-setup default under {@code contextPath}. */
  public static GatewayServer startWithoutDatabase(String contextPath, Map<String, String> settings) {
    return startOn(Webapp.SOURCES, contextPath, newHome(), settings, null);
  }

  /** The zero-setup default on a given TOLLGATE_HOME, for example the one of a server that was stopped. */
  public static GatewayServer startWithoutDatabase(Path home, Map<String, String> settings) {
    return startOn(Webapp.SOURCES, "", home, settings, null);
  }

  private static GatewayServer onFreshDatabase(Webapp webapp, String contextPath, Map<String, String> settings) {
    TestDatabase db = TestDatabase.create();
    Map<String, String> all = new HashMap<>();
    all.put("TOLLGATE_DB_URL", db.jdbcUrl());
    all.put("TOLLGATE_DB_USER", db.user());
    all.put("TOLLGATE_DB_PASSWORD", db.password() == null ? "" : db.password());
    all.putAll(settings);
    try {
      return startOn(webapp, contextPath, newHome(), all, db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** What to deploy: a webapp folder or WAR file, and whether it must bring all its own libraries. */
  private record Webapp(Path docBase, boolean selfContained) {
    static final Webapp SOURCES = new Webapp(Path.of("src/main/webapp"), false);
  }

  private static GatewayServer startOn(Webapp webapp, String contextPath, Path home, Map<String, String> settings,
      TestDatabase db) {
    try {
      Path base = Files.createTempDirectory("tollgate-tomcat");
      Files.createDirectories(base.resolve("webapps")); // where Tomcat unpacks a WAR
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(base.toString());
      tomcat.setHostname("127.0.0.1");
      Connector connector = tomcat.getConnector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      // As deploy/tomcat/server.xml: what Tomcat answers before the webapp (a head past the connector's limits) in
      // OpenAI's JSON shape, without a stack trace or its version.
      ((StandardHost) tomcat.getHost()).setErrorReportValveClass(OpenAiErrorReportValve.class.getName());
      Context ctx = tomcat.addWebapp(contextPath, webapp.docBase().toAbsolutePath().toString());
      ((StandardJarScanner) ctx.getJarScanner()).setScanClassPath(false);
      if (webapp.selfContained()) {
        ctx.setParentClassLoader(new ContainerOnlyClassLoader(Tomcat.class.getClassLoader()));
      } else {
        ctx.setParentClassLoader(GatewayServer.class.getClassLoader());
        // The webapp shares the test's logback; logback's own initializer would stop it when the webapp stops,
        // leaving every later test in this JVM with no appenders and the root logger at DEBUG.
        parameter(ctx, "logbackDisableServletContainerInitializer", "true");
      }
      // As context.xml's <Parameter> elements: they outlive a reload, which drops the parameters web.xml gave.
      parameter(ctx, "TOLLGATE_HOME", home.toString());
      // "connector.<property>" goes to Tomcat's connector (socket.txBufSize, say), the rest to the webapp.
      settings.forEach((name, value) -> {
        if (name.startsWith(CONNECTOR)) {
          connector.setProperty(name.substring(CONNECTOR.length()), value);
        } else {
          parameter(ctx, name, value);
        }
      });
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

  private static void parameter(Context ctx, String name, String value) {
    ApplicationParameter parameter = new ApplicationParameter();
    parameter.setName(name);
    parameter.setValue(value);
    ctx.addApplicationParameter(parameter);
  }

  private static Path newHome() {
    try {
      return Files.createTempDirectory("tollgate-home");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  public Path home() {
    return home;
  }

  /** The webapp's context, to stop or reload it while Tomcat and its connector keep running. */
  public Context context() {
    return (Context) tomcat.getHost().findChildren()[0];
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
