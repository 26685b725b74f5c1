package io.tollgate.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderRepositoryTest {
  static TestDatabase pg;
  static Database db;
  static ProviderRepository providers;

  @BeforeAll
  static void open() {
    pg = TestDatabase.create();
    db = Database.open(DatabaseTest.config(pg), Path.of("unused"));
    providers = new ProviderRepository(new Tx(db.entityManagerFactory()));
  }

  @AfterAll
  static void drop() {
    db.close();
    pg.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM providers");
    }
  }

  @Test
  void upsertInsertsThenUpdatesByName() {
    ProviderRecord main = new ProviderRecord("main", "openai", "https://api.example.com/v1",
        List.of("sk-up-1", "sk-up-2"), false, true);
    providers.upsert(main);
    assertThat(providers.find("main")).contains(main);

    ProviderRecord changed = new ProviderRecord("main", "openai", "https://other.example.com/v1",
        List.of("sk-up-3"), true, false);
    providers.upsert(changed);
    assertThat(providers.findAll()).containsExactly(changed);
  }

  @Test
  void upsertingTheSameValuesChangesNothing() throws SQLException {
    ProviderRecord echo = new ProviderRecord("echo", "echo", null, List.of(), false, false);
    providers.upsert(echo);
    String stamp = updatedAt("echo");
    providers.upsert(echo);
    assertThat(updatedAt("echo")).isEqualTo(stamp);
    assertThat(providers.findAll()).containsExactly(echo);
  }

  @Test
  void deleteReportsWhetherTheProviderExisted() {
    providers.upsert(new ProviderRecord("gone", "echo", null, List.of(), false, false));
    assertThat(providers.delete("gone")).isTrue();
    assertThat(providers.delete("gone")).isFalse();
    assertThat(providers.find("gone")).isEmpty();
  }

  @Test
  void toStringCountsKeysAndNeverPrintsThem() {
    ProviderRecord p = new ProviderRecord("main", "openai", "https://api.example.com", List.of("sk-secret-1",
        "sk-secret-2"), false, false);
    assertThat(p.toString()).doesNotContain("sk-secret").contains("2 keys").contains("main");
  }

  private static String updatedAt(String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT updated_at FROM providers WHERE name = '" + name + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
