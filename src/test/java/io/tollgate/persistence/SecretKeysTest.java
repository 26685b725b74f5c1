package io.tollgate.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ConfigException;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Encryption at rest on PostgreSQL, each case on a fresh database: what the columns hold, and every start-up path. */
class SecretKeysTest {
  private static final String KEY_A = "first passphrase, long enough to be accepted";
  private static final String KEY_B = "second passphrase, also long enough to be used";
  private static final String UPSTREAM = "sk-upstream-AT-REST-0123456789";
  private static final String HEADER = "Bearer header-AT-REST-secret";

  private TestDatabase pg;
  private Database db;
  private Tx tx;

  @BeforeEach
  void open() {
    pg = TestDatabase.create();
    db = Database.open(DatabaseTest.config(pg), Path.of("unused"));
    tx = new Tx(db.entityManagerFactory());
  }

  @AfterEach
  void drop() {
    db.close();
    pg.close();
  }

  private static ProviderRecord provider(String name) {
    return new ProviderRecord(name, "openai", "http://127.0.0.1:9/v1", List.of(UPSTREAM, UPSTREAM + "-2"), false,
        false, Map.of("header.X-Token", HEADER, "read_timeout", "5"));
  }

  private List<String> rawColumns() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT api_keys, options FROM providers ORDER BY name")) {
      while (r.next()) {
        out.add(r.getString(1));
        out.add(r.getString(2));
      }
    }
    return out;
  }

  private ProviderRepository repository(String key, String previous) {
    return new ProviderRepository(tx, SecretKeys.unlock(tx, key, previous).columns());
  }

  @Test
  void sealsWhatItWritesAndReadsItBack() throws SQLException {
    ProviderRepository providers = repository(KEY_A, null);
    providers.upsert(provider("main"));
    assertThat(rawColumns()).hasSize(2).allSatisfy(v -> assertThat(v).startsWith("enc:v1:")
        .doesNotContain(UPSTREAM).doesNotContain("header-AT-REST").doesNotContain("read_timeout"));
    assertThat(providers.find("main")).contains(provider("main"));
    List<String> before = rawColumns();
    providers.upsert(provider("main"));
    assertThat(rawColumns()).as("the same values again change nothing, not even the ciphertext").isEqualTo(before);
  }

  @Test
  void plaintextRowsAreSealedAtTheFirstStartWithAPassphraseAndOnlyOnce() throws SQLException {
    new ProviderRepository(tx).upsert(provider("main"));
    new ProviderRepository(tx).upsert(provider("other"));
    assertThat(rawColumns().get(0)).contains(UPSTREAM);
    assertThat(SecretKeys.unlock(tx, KEY_A, null).rewritten()).isEqualTo(2);
    assertThat(rawColumns()).allSatisfy(v -> assertThat(v).startsWith("enc:v1:").doesNotContain(UPSTREAM));
    List<String> sealed = rawColumns();
    assertThat(SecretKeys.unlock(tx, KEY_A, null).rewritten()).isZero();
    assertThat(rawColumns()).isEqualTo(sealed);
    assertThat(repository(KEY_A, null).findAll()).containsExactly(provider("main"), provider("other"));
  }

  @Test
  void twoInstancesStartingAtOnceSealEachRowOnce() throws Exception {
    new ProviderRepository(tx).upsert(provider("main"));
    Database second = Database.open(DatabaseTest.config(pg), Path.of("unused"));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> starts = new ArrayList<>();
      for (Tx each : List.of(tx, new Tx(second.entityManagerFactory()))) {
        starts.add(threads.submit(() -> {
          go.await();
          return SecretKeys.unlock(each, KEY_A, null).rewritten();
        }));
      }
      go.countDown();
      int total = starts.get(0).get(30, TimeUnit.SECONDS) + starts.get(1).get(30, TimeUnit.SECONDS);
      assertThat(total).as("one of them sealed the row, the other found it sealed").isEqualTo(1);
      assertThat(repository(KEY_A, null).find("main")).contains(provider("main"));
    } finally {
      threads.shutdownNow();
      second.close();
    }
  }

  @Test
  void aWrongPassphraseStopsTheStartAndChangesNothing() throws SQLException {
    repository(KEY_A, null).upsert(provider("main"));
    List<String> sealed = rawColumns();
    assertThatThrownBy(() -> SecretKeys.unlock(tx, KEY_B, null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOLLGATE_SECRET_KEY is not the passphrase").hasMessageContaining("SECURITY.md");
    assertThatThrownBy(() -> SecretKeys.unlock(tx, null, null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOLLGATE_SECRET_KEY is not set");
    assertThatThrownBy(() -> SecretKeys.unlock(tx, KEY_B, KEY_B + "!")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("neither is TOLLGATE_SECRET_KEY_PREVIOUS");
    assertThat(rawColumns()).isEqualTo(sealed);
  }

  @Test
  void rotationReSealsUnderTheNewPassphrase() throws SQLException {
    repository(KEY_A, null).upsert(provider("main"));
    assertThat(SecretKeys.unlock(tx, KEY_B, KEY_A).rewritten()).isEqualTo(1);
    assertThat(rawColumns()).allSatisfy(v -> assertThat(v).startsWith("enc:v1:").doesNotContain(UPSTREAM));
    assertThat(repository(KEY_B, null).find("main")).contains(provider("main"));
    assertThatThrownBy(() -> SecretKeys.unlock(tx, KEY_A, null)).isInstanceOf(ConfigException.class);
    assertThat(SecretKeys.unlock(tx, KEY_B, KEY_A).rewritten()).as("a restart mid-rollout is a no-op").isZero();
  }

  @Test
  void onlyAPreviousPassphraseDecryptsBackToPlaintext() throws SQLException {
    repository(KEY_A, null).upsert(provider("main"));
    SecretKeys.Unlocked off = SecretKeys.unlock(tx, null, KEY_A);
    assertThat(off.columns().encrypted()).isFalse();
    assertThat(rawColumns().get(0)).contains(UPSTREAM);
    assertThat(new ProviderRepository(tx).find("main")).contains(provider("main"));
    assertThat(SecretKeys.unlock(tx, null, null).columns().encrypted()).isFalse();
  }

  @Test
  void anAlteredValueIsRefusedNotReturnedGarbled() throws SQLException {
    repository(KEY_A, null).upsert(provider("main"));
    String sealed = rawColumns().get(0);
    char last = sealed.charAt(sealed.length() - 2);
    String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
        + sealed.charAt(sealed.length() - 1);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE providers SET api_keys = '" + altered + "'");
    }
    ProviderRepository providers = repository(KEY_A, null);
    assertThatThrownBy(() -> providers.find("main")).hasMessageContaining("integrity check")
        .hasMessageNotContaining(altered);
  }
}
