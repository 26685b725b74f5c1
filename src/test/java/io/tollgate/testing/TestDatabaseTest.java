package io.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

  @Test
  void createsAUsableDatabaseAndDropsItOnClose() throws Exception {
    TestDatabase db = TestDatabase.create();
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      assertThat(single(statement, "select 1")).isEqualTo("1");
      assertThat(single(statement, "select current_database()")).isEqualTo(db.name());
      statement.execute("create table probe (id int primary key)");
      statement.execute("insert into probe values (42)");
      assertThat(single(statement, "select id from probe")).isEqualTo("42");
      assertThat(exists(db.name())).isTrue();
    } finally {
      db.close();
    }

    assertThat(exists(db.name())).isFalse();
  }

  @Test
  void closeEndsConnectionsStillOpen() throws Exception {
    TestDatabase db = TestDatabase.create();
    Connection leaked = db.connect();

    db.close();

    assertThat(exists(db.name())).isFalse();
    assertThatThrownBy(() -> leaked.createStatement().execute("select 1")).isInstanceOf(SQLException.class);
  }

  @Test
  void sharedDatabaseIsCreatedOncePerJvm() {
    assertThat(TestDatabase.shared()).isSameAs(TestDatabase.shared());
    assertThat(TestDatabase.shared().jdbcUrl()).endsWith("/" + TestDatabase.shared().name());
  }

  @Test
  void unreachableServerFailsInCi() {
    Map<String, String> env = Map.of("TOLLGATE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:1/postgres", "CI", "true");

    assertThatThrownBy(() -> TestDatabase.create(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageContaining("CI");
  }

  @Test
  void unreachableServerOutsideCiFallsBackToEmbeddedUnlessRoot() {
    Map<String, String> env = Map.of("TOLLGATE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:1/postgres");

    if ("root".equals(System.getProperty("user.name"))) {
      assertThatThrownBy(() -> TestDatabase.create(env)).hasMessageContaining("pg_ctlcluster");
    } else {
      TestDatabase.create(env).close();
    }
  }

  @Test
  void databaseNameReplacesThePathAndKeepsParameters() {
    assertThat(TestDatabase.withDatabase("jdbc:postgresql://h:5432/postgres?ssl=false", "t1"))
        .isEqualTo("jdbc:postgresql://h:5432/t1?ssl=false");
    assertThat(TestDatabase.withDatabase("jdbc:postgresql://h:5432", "t1")).isEqualTo("jdbc:postgresql://h:5432/t1");
  }

  /** pg_database is cluster-wide, so the shared database can see every other one. */
  private static boolean exists(String name) throws SQLException {
    try (Connection connection = TestDatabase.shared().connect();
        PreparedStatement query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }
}
