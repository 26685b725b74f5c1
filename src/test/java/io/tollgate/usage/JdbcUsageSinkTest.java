package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.persistence.Database;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcUsageSinkTest {
  static TestDatabase pg;
  static Database db;

  @BeforeAll
  static void open() {
    pg = TestDatabase.create();
    db = Database.open(new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 2), Path.of("unused"));
  }

  @AfterAll
  static void drop() {
    db.close();
    pg.close();
  }

  @Test
  void writesEveryColumnIncludingNulls() throws Exception {
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MICROS);
    new JdbcUsageSink(db.dataSource()).write(List.of(
        new UsageEvent(ts, "req-full", 42L, "ci", "POST", "/v1/chat/completions", "chat", "main", "up-model", true,
            200, 1500, 120L, 11, 22, null),
        new UsageEvent(ts, "req-nulls", null, null, "GET", "/v1/models", null, null, null, false, 401, 3, null, null,
            null, "missing key")));

    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM usage_log WHERE request_id LIKE 'req-%' ORDER BY id")) {
      rs.next();
      assertThat(rs.getObject("ts", OffsetDateTime.class).toInstant()).isEqualTo(ts);
      assertThat(rs.getLong("key_id")).isEqualTo(42);
      assertThat(rs.getBoolean("stream")).isTrue();
      assertThat(rs.getLong("ttfb_ms")).isEqualTo(120);
      assertThat(rs.getInt("completion_tokens")).isEqualTo(22);
      rs.next();
      assertThat(rs.getObject("key_id")).isNull();
      assertThat(rs.getObject("prompt_tokens")).isNull();
      assertThat(rs.getString("error")).isEqualTo("missing key");
      assertThat(rs.getInt("status")).isEqualTo(401);
    }
  }

  @Test
  void overlongValuesAndNulCharactersDoNotPoisonTheBatch() throws Exception {
    new JdbcUsageSink(db.dataSource()).write(List.of(new UsageEvent(Instant.now(), "r".repeat(100), null, null,
        "PROPFIND-LONG", "/v1/" + "x".repeat(1000), "m\0odel", null, null, false, 404, 1, null, null, null,
        "e".repeat(10_000))));
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT path, model, error, method FROM usage_log WHERE status = 404")) {
      rs.next();
      assertThat(rs.getString("path")).hasSize(300);
      assertThat(rs.getString("model")).isEqualTo("model");
      assertThat(rs.getString("error")).hasSize(4000);
      assertThat(rs.getString("method")).hasSize(8);
    }
  }

  @Test
  void aRejectedRowRollsBackTheWholeBatch() throws Exception {
    exec("ALTER TABLE usage_log ADD CONSTRAINT no_teapots CHECK (status <> 418)");
    try {
      UsageEvent ok = new UsageEvent(Instant.now(), "req-atomic-1", null, null, "GET", "/", null, null, null, false,
          200, 0, null, null, null, null);
      UsageEvent teapot = new UsageEvent(Instant.now(), "req-atomic-2", null, null, "GET", "/", null, null, null,
          false, 418, 0, null, null, null, null);
      assertThatThrownBy(() -> new JdbcUsageSink(db.dataSource()).write(List.of(ok, teapot)))
          .isInstanceOf(SQLException.class);
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM usage_log WHERE request_id LIKE 'req-atomic-%'")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
        assertThat(c.getAutoCommit()).isTrue(); // the pooled connection went back as it came
      }
    } finally {
      exec("ALTER TABLE usage_log DROP CONSTRAINT no_teapots");
    }
  }

  @Test
  void textIsCutAtTheColumnLength() {
    assertThat(JdbcUsageSink.text("abc", 2)).isEqualTo("ab");
    assertThat(JdbcUsageSink.text("a\uD83D\uDE00", 2)).isEqualTo("a");
    assertThat(JdbcUsageSink.text(null, 2)).isNull();
  }

  private static void exec(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void aBatchWrittenAgainAfterAFailureLeavesOutTheRowsWhoseCommitLanded() throws Exception {
    JdbcUsageSink sink = new JdbcUsageSink(db.dataSource());
    Instant ts = Instant.parse("2026-12-04T10:00:00.123456789Z"); // nanoseconds: kept to the microsecond
    UsageEvent landed = row(ts, "again-1");
    UsageEvent sameIdLater = row(ts.plusMillis(5), "again-1"); // a client that reuses its X-Request-Id
    UsageEvent fresh = row(ts, "again-2");
    sink.write(List.of(landed)); // the commit landed, but the writer saw the connection break

    sink.writeAgain(List.of(landed, sameIdLater, fresh));

    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT request_id, count(*) FROM usage_log WHERE request_id LIKE 'again-%'"
            + " GROUP BY request_id ORDER BY request_id")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("again-1");
      assertThat(rs.getInt(2)).as("the landed row once, the later one with the same id kept").isEqualTo(2);
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("again-2");
      assertThat(rs.getInt(2)).isEqualTo(1);
    }
  }

  private static UsageEvent row(Instant ts, String requestId) {
    return new UsageEvent(ts, requestId, null, null, "POST", "/v1/chat/completions", "chat", "main", "m", false,
        200, 10, null, 1, 1, null);
  }
}
