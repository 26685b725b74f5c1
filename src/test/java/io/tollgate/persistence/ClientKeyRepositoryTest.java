package io.tollgate.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientKeyRepositoryTest {
  static TestDatabase pg;
  static Database db;
  static ClientKeyRepository keys;

  @BeforeAll
  static void open() {
    pg = TestDatabase.create();
    db = Database.open(DatabaseTest.config(pg), Path.of("unused"));
    keys = new ClientKeyRepository(new Tx(db.entityManagerFactory()));
  }

  @AfterAll
  static void drop() {
    db.close();
    pg.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM client_keys");
    }
  }

  @Test
  void createdKeyIsFoundByItsHashUntilRevoked() {
    Instant before = Instant.now().minusSeconds(1);
    ClientKeyRecord created = keys.create("ci", hash('1'), "sk-tg-1234…", "admin");

    assertThat(created.id()).isPositive();
    assertThat(created.createdAt()).isAfter(before);
    assertThat(created.active()).isTrue();
    assertThat(keys.findActiveByHash(hash('1'))).contains(created);
    assertThat(keys.findActiveByHash(hash('2'))).isEmpty();
    assertThat(keys.countActive()).isEqualTo(1);

    assertThat(keys.revoke(created.id())).isTrue();
    assertThat(keys.revoke(created.id())).isFalse(); // already revoked
    assertThat(keys.revoke(created.id() + 999)).isFalse(); // unknown
    assertThat(keys.findActiveByHash(hash('1'))).isEmpty();
    assertThat(keys.countActive()).isZero();
    assertThat(keys.list()).singleElement().satisfies(k -> assertThat(k.revokedAt()).isNotNull());
  }

  @Test
  void listIsOrderedByIdAndIdsComeFromTheSequence() {
    ClientKeyRecord a = keys.create("a", hash('a'), "p", "admin");
    ClientKeyRecord b = keys.create("b", hash('b'), "p", "env");
    ClientKeyRecord c = keys.create("c", hash('c'), "p", "demo");
    assertThat(keys.list()).containsExactly(a, b, c);
    assertThat(b.id()).isGreaterThan(a.id());
  }

  @Test
  void upsertByHashIsIdempotentRenamesAndKeepsRevokedKeysRevoked() {
    ClientKeyRecord first = keys.upsertByHash("ci", hash('5'), "sk-ci…", "config");
    assertThat(keys.upsertByHash("ci", hash('5'), "sk-ci…", "config")).isEqualTo(first);

    ClientKeyRecord renamed = keys.upsertByHash("ci-renamed", hash('5'), "sk-ci…", "config");
    assertThat(renamed.id()).isEqualTo(first.id());
    assertThat(renamed.name()).isEqualTo("ci-renamed");

    keys.revoke(first.id());
    ClientKeyRecord again = keys.upsertByHash("ci-renamed", hash('5'), "sk-ci…", "config");
    assertThat(again.revokedAt()).isNotNull();
    assertThat(keys.findActiveByHash(hash('5'))).isEmpty();
    assertThat(keys.list()).hasSize(1);
  }

  @Test
  void rejectsSomethingThatIsNotAHashWithoutEchoingIt() {
    assertThatThrownBy(() -> keys.create("oops", "sk-tg-the-raw-key", "sk-tg…", "admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("sk-tg-the-raw-key");
    assertThatThrownBy(() -> keys.create("oops", hash('1'), "p", "somewhere"))
        .hasMessageContaining("admin, config, env, demo");
  }

  @Test
  void duplicateHashIsRefusedByCreate() {
    keys.create("one", hash('9'), "p", "admin");
    assertThatThrownBy(() -> keys.create("two", hash('9'), "p", "admin"))
        .isInstanceOf(jakarta.persistence.PersistenceException.class);
    assertThat(keys.list()).extracting(ClientKeyRecord::name).containsExactly("one");
  }

  static String hash(char c) {
    return String.valueOf(c).repeat(64);
  }
}
