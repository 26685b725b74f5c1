package io.tollgate.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A freshly created PostgreSQL database, dropped again by {@link #close()}.
 *
 * <p>The server is {@code TOLLGATE_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user
 * {@code postgres}, no password). When it is unreachable, a CI run ({@code CI=true}) fails; elsewhere an embedded
 * PostgreSQL stands in. Never H2: the tests must see real PostgreSQL behaviour.
 */
public final class TestDatabase implements AutoCloseable {

  private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String START_HINT =
      "start PostgreSQL with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

  private static final SecureRandom RANDOM = new SecureRandom();

  private static TestDatabase shared;
  private static EmbeddedPostgres embedded;
  private static boolean cleanupRegistered;

  private final Server server;
  private final String name;
  private final AtomicBoolean closed = new AtomicBoolean();

  private record Server(String adminUrl, String user, String password) {
    Connection connect(String url) throws SQLException {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      properties.setProperty("password", password);
      properties.setProperty("connectTimeout", "5");
      return DriverManager.getConnection(url, properties);
    }
  }

  private TestDatabase(Server server, String name) {
    this.server = server;
    this.name = name;
  }

  public static TestDatabase create() {
    return create(System.getenv());
  }

  static TestDatabase create(Map<String, String> env) {
    Server server = locate(env);
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    String name = "tollgate_test_" + HexFormat.of().formatHex(random);
    try (Connection admin = server.connect(server.adminUrl()); Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " at " + server.adminUrl(), e);
    }
    return new TestDatabase(server, name);
  }

  /** One database per JVM, created on first use and dropped when the JVM exits. */
  public static synchronized TestDatabase shared() {
    if (shared == null) {
      shared = create();
      registerCleanup();
    }
    return shared;
  }

  public String jdbcUrl() {
    return withDatabase(server.adminUrl(), name);
  }

  public String user() {
    return server.user();
  }

  public String password() {
    return server.password();
  }

  public String name() {
    return name;
  }

  public Connection connect() throws SQLException {
    return server.connect(jdbcUrl());
  }

  /** Drops the database, ending any connections still open to it. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try (Connection admin = server.connect(server.adminUrl()); Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop database " + name, e);
    }
  }

  static String withDatabase(String url, String database) {
    int hostStart = url.indexOf("//");
    int slash = url.indexOf('/', hostStart + 2);
    int query = url.indexOf('?', hostStart + 2);
    if (slash < 0 || (query >= 0 && query < slash)) {
      slash = query < 0 ? url.length() : query;
      return url.substring(0, slash) + "/" + database + url.substring(slash);
    }
    return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
  }

  private static Server locate(Map<String, String> env) {
    Server configured = new Server(env.getOrDefault("TOLLGATE_TEST_PG_URL", DEFAULT_URL),
        env.getOrDefault("TOLLGATE_TEST_PG_USER", "postgres"), env.getOrDefault("TOLLGATE_TEST_PG_PASSWORD", ""));
    try (Connection ignored = configured.connect(configured.adminUrl())) {
      return configured;
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (state == null || !state.startsWith("08")) {
        throw new IllegalStateException("PostgreSQL at " + configured.adminUrl() + " refused user "
            + configured.user() + " (set TOLLGATE_TEST_PG_USER / TOLLGATE_TEST_PG_PASSWORD)", e);
      }
      if ("true".equals(env.get("CI"))) {
        throw new IllegalStateException("PostgreSQL is not reachable at " + configured.adminUrl()
            + "; in CI a missing database fails the run. Start PostgreSQL or set TOLLGATE_TEST_PG_URL.", e);
      }
      return embedded(configured.adminUrl(), e);
    }
  }

  private static synchronized Server embedded(String triedUrl, SQLException cause) {
    String why = "PostgreSQL is not reachable at " + triedUrl + ", ";
    if ("root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(why + "and embedded PostgreSQL refuses to run as root; " + START_HINT, cause);
    }
    if (embedded == null) {
      try {
        embedded = EmbeddedPostgres.start();
      } catch (IOException | RuntimeException e) {
        e.addSuppressed(cause);
        throw new IllegalStateException(why + "and embedded PostgreSQL did not start; " + START_HINT, e);
      }
      registerCleanup();
    }
    return new Server("jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres", "postgres", "");
  }

  // One hook, so the shared database is dropped before the embedded server under it stops.
  private static synchronized void registerCleanup() {
    if (!cleanupRegistered) {
      cleanupRegistered = true;
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::cleanUp, "test-database-cleanup"));
    }
  }

  private static synchronized void cleanUp() {
    try {
      if (shared != null) {
        shared.close();
      }
    } catch (RuntimeException ignored) {
      // the JVM is exiting; a database left behind has a unique name and harms no later run
    }
    try {
      if (embedded != null) {
        embedded.close();
      }
    } catch (IOException ignored) {
      // same as above
    }
  }
}
