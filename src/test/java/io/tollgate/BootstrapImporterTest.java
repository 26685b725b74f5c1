package io.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.auth.KeyHashing;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigMode;
import io.tollgate.config.GatewayConfig;
import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.persistence.ClientKeyRecord;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.ModelRecord;
import io.tollgate.persistence.ModelRepository;
import io.tollgate.persistence.ProviderRecord;
import io.tollgate.persistence.ProviderRepository;
import io.tollgate.persistence.Tx;
import io.tollgate.persistence.UserRepository;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapImporterTest {
  private static final String YAML = """
      providers:
        - name: main
          type: openai
          base_url: https://api.deepseek.com/v1
          api_keys: [sk-upstream-1, "${SECOND_KEY}"]
        - name: echo
          type: echo
        - name: az
          type: azure
          base_url: https://r.openai.azure.com
          api_key: k
          api_version: 2024-10-21
      models:
        - name: deepseek-chat
          targets: [{provider: main}, {provider: echo, model: echo-1}]
      clients:
        - name: ci
          key: sk-tollgate-example-1
      """;

  @Test
  void applyingTwiceChangesNothingTheSecondTime(@TempDir Path dir) throws Exception {
    BootstrapFile file = exampleFile(dir);
    try (TestDatabase pg = TestDatabase.create(); Database db = open(pg, dir)) {
      Tx tx = new Tx(db.entityManagerFactory());
      ProviderRepository providers = new ProviderRepository(tx);
      ModelRepository models = new ModelRepository(tx);
      ClientKeyRepository keys = new ClientKeyRepository(tx);

      BootstrapImporter.apply(file, providers, models, keys, new UserRepository(tx));
      List<String> first = snapshot(db);
      BootstrapImporter.apply(file, providers, models, keys, new UserRepository(tx));

      assertThat(snapshot(db)).isEqualTo(first);
      assertThat(providers.find("main")).contains(new ProviderRecord("main", "openai",
          "https://api.deepseek.com/v1", List.of("sk-upstream-1", "sk-upstream-2"), false, false));
      assertThat(providers.find("az")).hasValueSatisfying(
          p -> assertThat(p.options()).isEqualTo(Map.of("api_version", "2024-10-21")));
      assertThat(models.find("deepseek-chat")).contains(new ModelRecord("deepseek-chat", List.of(
          new ModelRecord.Target("main", "deepseek-chat"), new ModelRecord.Target("echo", "echo-1"))));
      ClientKeyRecord ci = keys.findActiveByHash(KeyHashing.sha256Hex("sk-tollgate-example-1")).orElseThrow();
      assertThat(ci.name()).isEqualTo("ci");
      assertThat(ci.source()).isEqualTo("config");
      assertThat(ci.prefix()).isEqualTo(KeyHashing.displayPrefix("sk-tollgate-example-1"));
    }
  }

  @Test
  void seedModeCreatesWhatIsMissingAndLeavesAdminEditsAloneWhereSyncModeRestoresTheFile(@TempDir Path dir)
      throws Exception {
    BootstrapFile file = exampleFile(dir);
    try (TestDatabase pg = TestDatabase.create(); Database db = open(pg, dir)) {
      Tx tx = new Tx(db.entityManagerFactory());
      ProviderRepository providers = new ProviderRepository(tx);
      ModelRepository models = new ModelRepository(tx);
      ClientKeyRepository keys = new ClientKeyRepository(tx);
      UserRepository users = new UserRepository(tx);
      String ciHash = KeyHashing.sha256Hex("sk-tollgate-example-1");

      // A fresh database: seed creates everything the file lists.
      BootstrapImporter.apply(file, ConfigMode.SEED, providers, models, keys, users);
      assertThat(providers.find("main")).isPresent();
      assertThat(models.find("deepseek-chat")).isPresent();
      long ciId = keys.findActiveByHash(ciHash).orElseThrow().id();

      // What an admin does afterwards: another base URL, another target list, a renamed key.
      providers.upsert(new ProviderRecord("main", "openai", "https://proxy.internal/v1", List.of("sk-rotated"),
          false, false));
      models.upsert(new ModelRecord("deepseek-chat", List.of(new ModelRecord.Target("echo", "echo-2"))));
      keys.update(ciId, "ci-renamed", keys.find(ciId).orElseThrow().settings());
      List<String> edited = snapshot(db);

      BootstrapImporter.apply(file, ConfigMode.SEED, providers, models, keys, users);
      assertThat(snapshot(db)).as("a restart in seed mode").isEqualTo(edited);
      assertThat(providers.find("main").orElseThrow().baseUrl()).isEqualTo("https://proxy.internal/v1");
      assertThat(keys.find(ciId).orElseThrow().name()).isEqualTo("ci-renamed");

      providers.delete("az");
      BootstrapImporter.apply(file, ConfigMode.SEED, providers, models, keys, users);
      assertThat(providers.find("az")).as("a missing entry is created again").isPresent();

      BootstrapImporter.apply(file, ConfigMode.SYNC, providers, models, keys, users);
      assertThat(providers.find("main").orElseThrow().baseUrl()).isEqualTo("https://api.deepseek.com/v1");
      assertThat(models.find("deepseek-chat").orElseThrow().targets()).hasSize(2);
      assertThat(keys.find(ciId).orElseThrow().name()).isEqualTo("ci");
    }
  }

  @Test
  void anUnknownConfigModeIsRefusedWithTheVariableNamed() {
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("TOLLGATE_CONFIG_MODE", "merge")))
        .isInstanceOf(ConfigException.class).hasMessage("TOLLGATE_CONFIG_MODE must be sync or seed");
    assertThat(GatewayConfig.from(Map.of("TOLLGATE_CONFIG_MODE", " Seed ")).configMode()).isEqualTo(ConfigMode.SEED);
    assertThat(GatewayConfig.from(Map.of()).configMode()).isEqualTo(ConfigMode.SYNC);
  }

  private static BootstrapFile exampleFile(Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("tollgate.yaml"), YAML);
    return BootstrapFile.read(yaml, Map.of("SECOND_KEY", "sk-upstream-2")::get);
  }

  private static Database open(TestDatabase pg, Path dir) {
    return Database.open(new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 2), dir);
  }

  /** Every row of the three tables, timestamps included, so any write at all would show. */
  private static List<String> snapshot(Database db) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String sql : List.of("SELECT * FROM providers ORDER BY id", "SELECT * FROM models ORDER BY id",
          "SELECT * FROM client_keys ORDER BY id")) {
        try (ResultSet rs = s.executeQuery(sql)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              row.append(rs.getString(i)).append('|');
            }
            rows.add(row.toString());
          }
        }
      }
    }
    assertThat(rows).hasSize(5);
    return rows;
  }
}
