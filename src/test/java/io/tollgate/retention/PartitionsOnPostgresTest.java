package io.tollgate.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.LogConfig;
import io.tollgate.housekeeping.Housekeeping;
import io.tollgate.config.Secret;
import io.tollgate.persistence.Database;
import io.tollgate.testing.LogTables;
import io.tollgate.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** usage_log partitioned by day on PostgreSQL: the V12 move, partitions created ahead, retention by DROP. */
class PartitionsOnPostgresTest {
  private static final Instant OLD = Instant.parse("2026-01-10T12:00:00Z");
  private TestDatabase pg;
  private Database db;
  private LogTables tables;

  @BeforeEach
  void migrateToV9WithRowsThenToLatest() throws SQLException {
    pg = TestDatabase.create();
    Flyway.configure().dataSource(pg.jdbcUrl(), pg.user(), pg.password())
        .locations("classpath:db/migration/postgresql").target("9").load().migrate();
    try (Connection c = pg.connect()) {
      c.createStatement().execute("INSERT INTO usage_log (ts, path, status, latency_ms) VALUES"
          + " ('2026-01-10 12:00:00+00', '/v1/chat/completions', 200, 10),"
          + " ('2026-01-11 08:00:00+00', '/v1/chat/completions', 200, 20)");
    }
    db = Database.open(new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 4), Path.of("unused"));
    tables = new LogTables(db.dataSource());
  }

  @AfterEach
  void drop() {
    db.close();
    pg.close();
  }

  @Test
  void theMigrationMovesRowsIntoDailyPartitionsAndIdsKeepGrowing() throws SQLException {
    assertThat(partitions("usage_log")).contains("usage_log_p20260110", "usage_log_p20260111", "usage_log_default");
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log_p20260110")).isEqualTo(1);
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log_default")).isZero();
    long oldMax = tables.count("SELECT MAX(id) FROM usage_log");
    tables.row(Instant.now(), "m", 1L, 200, 5, 10, null);
    assertThat(tables.count("SELECT MAX(id) FROM usage_log")).isGreaterThan(oldMax);
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log_default")).as("today has its partition").isZero();
  }

  @Test
  void partitionsAreCreatedAheadByRacingInstancesAndRowsInTheDefaultAreMovedIn() throws Exception {
    LocalDate first = LocalDate.parse("2027-03-01");
    tables.row(Instant.parse("2027-03-02T05:00:00Z"), "m", 1L, 200, 5, 10, null); // no partition yet: default
    tables.body("req_early", Instant.parse("2027-03-02T05:00:00Z"));
    try (Connection c = pg.connect()) {
      c.createStatement().execute("UPDATE usage_log SET trace_id = '4bf92f3577b34da6a3ce929d0e0e4736'");
    }
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log_default")).isEqualTo(1);

    LogPartitions partitions = new LogPartitions(db.dataSource());
    List<CompletableFuture<Void>> racing = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      racing.add(CompletableFuture.runAsync(() -> {
        try {
          partitions.createAhead(first, 4);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    CompletableFuture.allOf(racing.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
    partitions.createAhead(first, 4); // and once more: nothing to do

    assertThat(partitions("usage_log")).contains("usage_log_p20270301", "usage_log_p20270304")
        .doesNotContain("usage_log_p20270305");
    assertThat(partitions("usage_bodies")).contains("usage_bodies_p20270302");
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log_default")).isZero();
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log_p20270302")).isEqualTo(1);
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log_p20270302 WHERE trace_id ="
        + " '4bf92f3577b34da6a3ce929d0e0e4736'")).as("the V13 column moves with its row").isEqualTo(1);
    assertThat(tables.count("SELECT COUNT(*) FROM usage_bodies_p20270302")).isEqualTo(1);
  }

  @Test
  void theHousekeepingChoreCreatesTheComingDaysPartitionsAtStart() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2027-06-01T12:00:00Z"), ZoneOffset.UTC);
    try (Housekeeping housekeeping = new Housekeeping()) {
      LogChores.start(housekeeping, db.dataSource(), true, new LogConfig(false, 1000, 30), clock);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!partitions("usage_bodies").contains("usage_bodies_p20270604") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    assertThat(partitions("usage_log")).contains("usage_log_p20270601", "usage_log_p20270604")
        .doesNotContain("usage_log_p20270605");
    assertThat(partitions("usage_bodies")).contains("usage_bodies_p20270604");
  }

  @Test
  void retentionDropsWholeOldDaysAndDeletesOldRowsLeftInTheDefaultPartition() throws SQLException {
    tables.row(Instant.parse("2025-06-01T00:00:00Z"), "m", 1L, 200, 5, 10, BigDecimal.ONE); // default partition
    tables.body("req_old", Instant.parse("2026-01-10T13:00:00Z"));
    Instant cutoff = Instant.parse("2026-01-11T06:00:00Z"); // the 10th is wholly older, the 11th is not

    LogRetention.Outcome outcome = new LogRetention(db.dataSource(), true).run(cutoff);

    assertThat(outcome.ran()).isTrue();
    assertThat(outcome.dropped()).contains("usage_log_p20260110", "usage_bodies_p20260110")
        .doesNotContain("usage_log_p20260111");
    assertThat(outcome.deletedRows()).isEqualTo(1);
    assertThat(partitions("usage_log")).doesNotContain("usage_log_p20260110").contains("usage_log_p20260111");
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log WHERE ts < '2026-01-11 00:00:00+00'")).isZero();
    assertThat(tables.count("SELECT COUNT(*) FROM usage_log WHERE ts >= '2026-01-11 00:00:00+00'")).isEqualTo(1);
    assertThat(tables.count("SELECT COUNT(*) FROM usage_bodies")).isZero();
  }

  @Test
  void aSecondInstanceSkipsRetentionWhileTheFirstHoldsTheLock() throws SQLException {
    try (Connection holder = pg.connect()) {
      holder.createStatement().execute("SELECT pg_advisory_lock(" + ChoreLock.RETENTION + ")");
      LogRetention.Outcome outcome = new LogRetention(db.dataSource(), true).run(Instant.now());
      assertThat(outcome.ran()).isFalse();
      assertThat(partitions("usage_log")).contains("usage_log_p20260110");
    }
  }

  private List<String> partitions(String table) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      return LogPartitions.partitions(c, table);
    }
  }
}
