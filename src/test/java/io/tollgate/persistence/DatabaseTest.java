package io.tollgate.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.testing.TestDatabase;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  static TestDatabase pg;

  @BeforeAll
  static void createDatabase() {
    pg = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    pg.close();
  }

  @Test
  void migratesPostgresqlAndHidesThePassword() throws SQLException {
    String password = pg.password().isEmpty() ? "hunter2-not-asked-for-by-trust-auth" : pg.password();
    DbConfig cfg = new DbConfig(pg.jdbcUrl() + "?ApplicationName=tollgate-test", pg.user(), Secret.of(password),
        null, 2);
    try (Database db = Database.open(cfg, Path.of("unused"))) {
      assertThat(db.vendor()).isEqualTo("postgresql");
      assertThat(db.description()).startsWith("jdbc:postgresql://").doesNotContain(password);
      assertThat(db.embeddedDefault()).as("a configured database is a real deployment").isFalse();
      assertThat(tables(db.dataSource())).contains("client_keys", "providers", "models", "usage_log");
      assertThat(appliedVersions(db.dataSource())).containsExactly(
          "1", "2", "3", "4", "5", "6", "8", "9", "10", "11", "12", "13", "14", "15");
    }
    try (Database again = Database.open(cfg, Path.of("unused"))) { // already migrated: nothing to do, no error
      assertThat(appliedVersions(again.dataSource())).containsExactly(
          "1", "2", "3", "4", "5", "6", "8", "9", "10", "11", "12", "13", "14", "15");
    }
  }

  @Test
  void withoutUrlOrJndiUsesH2UnderHome(@TempDir Path home) {
    DbConfig cfg = new DbConfig(null, null, null, "java:comp/env/jdbc/none", 2);
    try (Database db = Database.open(cfg, home.resolve("data"))) {
      assertThat(db.vendor()).isEqualTo("h2");
      assertThat(db.description()).startsWith("jdbc:h2:file:" + home.resolve("data").toAbsolutePath());
      assertThat(db.embeddedDefault()).isTrue();
      ClientKeyRepository keys = new ClientKeyRepository(new Tx(db.entityManagerFactory()));
      keys.create("smoke", "a".repeat(64), "sk-smoke…", "demo");
      new ProviderRepository(new Tx(db.entityManagerFactory()))
          .upsert(new ProviderRecord("echo", "echo", null, List.of(), false, false, Map.of("note", "h2")));
    }
    assertThat(Files.exists(home.resolve("data/tollgate.mv.db"))).isTrue();
    try (Database reopened = Database.open(cfg, home.resolve("data"))) {
      Tx tx = new Tx(reopened.entityManagerFactory());
      assertThat(new ClientKeyRepository(tx).findActiveByHash("a".repeat(64))).get()
          .extracting(ClientKeyRecord::name).isEqualTo("smoke");
      assertThat(new ProviderRepository(tx).find("echo")).hasValueSatisfying(
          p -> assertThat(p.options()).isEqualTo(Map.of("note", "h2")));
    }
  }

  @Test
  void closeReturnsOnlyOnceThePoolsThreadsHaveEnded(@TempDir Path home) throws SQLException {
    DbConfig cfg = new DbConfig(null, null, null, "java:comp/env/jdbc/none", 4);
    PoolThreads threads;
    try (Database db = Database.open(cfg, home)) {
      List<Connection> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // makes Hikari start its connection adder and closer threads too
        held.add(db.dataSource().getConnection());
      }
      for (Connection c : held) {
        c.close();
      }
      threads = db.poolThreads();
      assertThat(threads.alive()).isPositive();
    }
    assertThat(threads.alive()).isZero(); // Tomcat reports a pool thread still alive at undeploy as a leak
  }

  @Test
  void usesTheContainersJndiDataSourceAndLeavesItOpen(@TempDir Path home) throws SQLException {
    try (Database owner = Database.open(config(pg), home)) {
      FakeJndi.bound = owner.dataSource();
      String previous = System.setProperty(Context.INITIAL_CONTEXT_FACTORY, FakeJndi.class.getName());
      try (Database viaJndi = Database.open(new DbConfig(null, null, null, "java:comp/env/jdbc/tollgate", 2), home)) {
        assertThat(viaJndi.dataSource()).isSameAs(owner.dataSource());
        assertThat(viaJndi.description()).startsWith("JNDI java:comp/env/jdbc/tollgate (jdbc:postgresql:");
        assertThat(viaJndi.embeddedDefault()).as("a container's DataSource is a real deployment").isFalse();
      } finally {
        restore(previous);
        FakeJndi.bound = null;
      }
      try (Connection c = owner.dataSource().getConnection()) { // closing viaJndi did not close the pool
        assertThat(c.isValid(1)).isTrue();
      }
    }
    assertThat(Files.exists(home.resolve("tollgate.mv.db"))).isFalse();
  }

  @Test
  void redactsCredentialsInUrls() {
    assertThat(Database.redact("jdbc:postgresql://db:5432/t?user=bob&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/t?user=****&password=****&ssl=true");
    assertThat(Database.redact("jdbc:postgresql://bob:s3cret@db/t")).isEqualTo("jdbc:postgresql://db/t");
    assertThat(Database.redact("jdbc:h2:file:/x/tollgate;PASSWORD=s3cret;DB_CLOSE_ON_EXIT=FALSE"))
        .isEqualTo("jdbc:h2:file:/x/tollgate;PASSWORD=****;DB_CLOSE_ON_EXIT=FALSE");
  }

  private static void restore(String previous) {
    if (previous == null) {
      System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    } else {
      System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previous);
    }
  }

  static List<String> tables(DataSource ds) throws SQLException {
    return strings(ds, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
  }

  static List<String> appliedVersions(DataSource ds) throws SQLException {
    return strings(ds, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank");
  }

  private static List<String> strings(DataSource ds, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** A container's naming context with one DataSource bound, as Tomcat offers java:comp/env/jdbc/tollgate. */
  public static final class FakeJndi implements InitialContextFactory {
    static volatile DataSource bound;

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
      return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
          (proxy, method, args) -> {
            if (method.getName().equals("lookup") && "java:comp/env/jdbc/tollgate".equals(String.valueOf(args[0]))
                && bound != null) {
              return bound;
            }
            if (method.getName().equals("lookup")) {
              throw new NameNotFoundException(String.valueOf(args[0]));
            }
            return null;
          });
    }
  }

  static DbConfig config(TestDatabase pg) {
    return new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 2);
  }
}
