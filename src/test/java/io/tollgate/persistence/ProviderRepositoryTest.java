package io.tollgate.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
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
  void optionsAreStoredAndAChangedOptionIsAnUpdate() throws SQLException {
    ProviderRecord azure = new ProviderRecord("az", "azure", "https://r.openai.azure.com", List.of("k"), false,
        false, Map.of("api_version", "2024-10-21", "region", "westeurope"));
    providers.upsert(azure);
    assertThat(providers.find("az")).contains(azure);
    String stamp = updatedAt("az");
    providers.upsert(new ProviderRecord("az", "azure", "https://r.openai.azure.com", List.of("k"), false, false,
        Map.of("region", "westeurope", "api_version", "2024-10-21")));
    assertThat(updatedAt("az")).as("same options in another order").isEqualTo(stamp);

    ProviderRecord newer = new ProviderRecord("az", "azure", "https://r.openai.azure.com", List.of("k"), false,
        false, Map.of("api_version", "2025-01-01"));
    providers.upsert(newer);
    assertThat(providers.find("az")).contains(newer);
    assertThat(updatedAt("az")).isNotEqualTo(stamp);
  }

  @Test
  void rowsWrittenBeforeOptionsExistedReadAsNoOptions() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO providers (name, type, base_url, created_at, updated_at)"
          + " VALUES ('old', 'openai', 'http://x', now(), now())");
    }
    assertThat(providers.find("old")).hasValueSatisfying(p -> assertThat(p.options()).isEmpty());
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
        "sk-secret-2"), false, false, Map.of("org", "org-private"));
    assertThat(p.toString()).doesNotContain("sk-secret").doesNotContain("org-private").contains("2 keys")
        .contains("main");
  }

  private static String updatedAt(String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT updated_at FROM providers WHERE name = '" + name + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
