package io.tollgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.config.SessionConfig;
import io.tollgate.openai.Json;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.SessionRepository;
import io.tollgate.persistence.Tx;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store below the HTTP layer: pruning expired sessions in batches, and two turns of one session racing. */
class SessionStoreTest {
  static TestDatabase pg;
  static Database db;
  static Sessions sessions;
  static ExecutorService workers;
  static long keyId;

  @BeforeAll
  static void open() {
    pg = TestDatabase.create();
    db = Database.open(new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 4), Path.of("unused"));
    Tx tx = new Tx(db.entityManagerFactory());
    keyId = new ClientKeyRepository(tx).create("store", "a".repeat(64), "sk-tg-a…", "admin").id();
    workers = Executors.newFixedThreadPool(4);
    sessions = new Sessions(new SessionRepository(tx), new SessionConfig(true, 50, 32_000, Duration.ofHours(1)),
        workers, Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    workers.shutdownNow();
    db.close();
    pg.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM sessions");
    }
  }

  @Test
  void pruningDeletesExpiredSessionsInBatchesAndKeepsLiveOnes() throws SQLException {
    insert("old-", 1_100, Instant.now().minusSeconds(60));
    insert("live-", 3, Instant.now().plusSeconds(3600));

    assertThat(sessions.prune(500, 1)).isEqualTo(500);
    assertThat(count()).isEqualTo(603);
    assertThat(sessions.prune(500, 20)).isEqualTo(600);
    assertThat(count()).isEqualTo(3);
    assertThat(sessions.prune(500, 20)).isZero();
  }

  @Test
  void twoTurnsThatRaceAreBothKept() throws Exception {
    for (int round = 0; round < 5; round++) {
      String id = "race-" + round;
      List<CompletableFuture<?>> stores = List.of(store(id, "first"), store(id, "second"));
      CompletableFuture.allOf(stores.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      JsonNode messages = Json.MAPPER.readTree(sessions.find(caller(), id).orElseThrow().messages());
      assertThat(messages).hasSize(4);
      assertThat(sessions.find(caller(), id).orElseThrow().turns()).isEqualTo(2);
    }
  }

  private static CompletableFuture<?> store(String id, String text) {
    SessionTurn turn = new SessionTurn(sessions, new SessionTurn.Owner(keyId, id), Dialect.OPENAI, "gpt-4o", null,
        List.of(Json.MAPPER.createObjectNode().put("role", "user").put("content", text)));
    return sessions.store(turn, Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "ok " + text))
        .toCompletableFuture();
  }

  private static io.tollgate.auth.Caller caller() {
    return new io.tollgate.auth.Caller(keyId, "store", "sk-tg-a…");
  }

  private static void insert(String prefix, int n, Instant expires) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
        "INSERT INTO sessions (key_id, session_id, dialect, messages, turns, tokens, created_at, updated_at,"
            + " expires_at) VALUES (?, ?, 'openai', '[]', 0, 0, now(), now(), ?)")) {
      for (int i = 0; i < n; i++) {
        s.setLong(1, keyId);
        s.setString(2, prefix + i);
        s.setTimestamp(3, Timestamp.from(expires));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static long count() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM sessions")) {
      r.next();
      return r.getLong(1);
    }
  }
}
