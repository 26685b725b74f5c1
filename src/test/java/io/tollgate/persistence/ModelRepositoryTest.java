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

class ModelRepositoryTest {
  static TestDatabase pg;
  static Database db;
  static ModelRepository models;

  @BeforeAll
  static void open() {
    pg = TestDatabase.create();
    db = Database.open(DatabaseTest.config(pg), Path.of("unused"));
    models = new ModelRepository(new Tx(db.entityManagerFactory()));
  }

  @AfterAll
  static void drop() {
    db.close();
    pg.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM models");
    }
  }

  @Test
  void upsertKeepsTargetsInOrderAndIsIdempotent() throws SQLException {
    ModelRecord chat = new ModelRecord("chat", List.of(new ModelRecord.Target("main", "deepseek-chat"),
        new ModelRecord.Target("backup", "gpt-4o-mini")));
    models.upsert(chat);
    String stamp = stamp("chat");
    models.upsert(chat);

    assertThat(models.find("chat")).contains(chat);
    assertThat(stamp("chat")).isEqualTo(stamp);
    assertThat(models.findAll()).containsExactly(chat);
  }

  @Test
  void upsertReplacesTargets() {
    models.upsert(new ModelRecord("chat", List.of(new ModelRecord.Target("main", "a"))));
    ModelRecord moved = new ModelRecord("chat", List.of(new ModelRecord.Target("backup", "b")));
    models.upsert(moved);
    assertThat(models.findAll()).containsExactly(moved);
  }

  @Test
  void aliasesAndCapabilitiesRoundTripAndCountAsChanges() throws SQLException {
    ModelRecord plain = new ModelRecord("fast", List.of(new ModelRecord.Target("main", "*")));
    models.upsert(plain);
    assertThat(models.find("fast")).contains(plain);
    assertThat(plain.aliases()).isEmpty();
    assertThat(plain.supportsStreaming() && plain.supportsTools()).isTrue();

    String before = stamp("fast");
    ModelRecord limited = new ModelRecord("fast", plain.targets(), List.of("quick", "speedy"), 1024, false, false);
    models.upsert(limited);
    assertThat(models.find("fast")).contains(limited);
    assertThat(stamp("fast")).isNotEqualTo(before);
    for (ModelRecord changed : List.of(
        new ModelRecord("fast", plain.targets(), List.of("quick"), 1024, false, false),
        new ModelRecord("fast", plain.targets(), List.of("quick"), null, false, false),
        new ModelRecord("fast", plain.targets(), List.of("quick"), null, true, false),
        new ModelRecord("fast", plain.targets(), List.of("quick"), null, true, true))) {
      models.upsert(changed);
      assertThat(models.find("fast")).contains(changed);
    }
  }

  @Test
  void deleteReportsWhetherTheModelExisted() {
    models.upsert(new ModelRecord("old", List.of(new ModelRecord.Target("main", "old"))));
    assertThat(models.delete("old")).isTrue();
    assertThat(models.delete("old")).isFalse();
    assertThat(models.findAll()).isEmpty();
  }

  private static String stamp(String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT updated_at, targets, aliases, max_tokens, supports_streaming,"
            + " supports_tools FROM models WHERE name = '" + name + "'")) {
      rs.next();
      return rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
          + rs.getString(5) + " " + rs.getString(6);
    }
  }
}
