package io.tollgate.inbound.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.openai.Json;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.StoredResponseRepository;
import io.tollgate.persistence.Tx;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The housekeeping chore's part: expired responses deleted in batches, live ones kept, each read by its owner. */
class StoredResponsesPruneTest {
  static TestDatabase pg;
  static Database db;
  static Tx tx;
  static ExecutorService workers;

  @BeforeAll
  static void open() {
    pg = TestDatabase.create();
    db = Database.open(new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 4), Path.of("unused"));
    tx = new Tx(db.entityManagerFactory());
    workers = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void close() {
    workers.shutdownNow();
    db.close();
    pg.close();
  }

  @Test
  void expiredResponsesArePrunedInBatchesAndLiveOnesStay() throws Exception {
    Instant then = Instant.parse("2026-01-01T00:00:00Z");
    StoredResponseRepository repository = new StoredResponseRepository(tx);
    StoredResponses early = new StoredResponses(repository, Duration.ofHours(1), workers,
        Clock.fixed(then, ZoneOffset.UTC));
    StoredResponses late = new StoredResponses(repository, Duration.ofDays(30), workers,
        Clock.fixed(then.plus(Duration.ofHours(2)), ZoneOffset.UTC));
    ResponseOwner owner = new ResponseOwner(null, "a".repeat(64));
    for (int i = 0; i < 5; i++) {
      keep(early, owner, "resp_old" + i);
    }
    keep(late, owner, "resp_new");

    assertThat(late.prune(2, 2)).as("at most two batches of two").isEqualTo(4);
    assertThat(late.prune(2, 10)).isEqualTo(1);
    assertThat(late.prune(2, 10)).isZero();
    assertThat(ids()).containsExactly("resp_new");
    assertThat(late.find(owner, "resp_new", null).model()).isEqualTo("gpt-test");
  }

  private static void keep(StoredResponses stored, ResponseOwner owner, String id) throws Exception {
    stored.keep(owner, Json.MAPPER.createArrayNode(), Json.MAPPER.createObjectNode().put("id", id)
        .put("model", "gpt-test"), false).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static java.util.List<String> ids() throws Exception {
    java.util.List<String> ids = new java.util.ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from stored_responses order by id")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }
}
