package io.tollgate.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.persistence.Database;
import io.tollgate.testing.LogTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** On H2 the request log stays one plain table: retention deletes old rows, in batches, and their rollups. */
class RetentionOnH2Test {

  @Test
  void deletesRowsBodiesAndRollupsOlderThanTheCutoffInBatches() throws Exception {
    try (Database db = Database.open(new DbConfig("jdbc:h2:mem:retention;DB_CLOSE_DELAY=-1", "sa", Secret.of(""),
        null, 2), Path.of("unused"))) {
      LogTables tables = new LogTables(db.dataSource());
      int old = LogRetention.BATCH + 5; // more than one batch
      try (Connection c = db.dataSource().getConnection()) {
        c.createStatement().execute("INSERT INTO usage_log (ts, path, status, latency_ms) SELECT"
            + " TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' + X * INTERVAL '1' SECOND,"
            + " '/v1/chat/completions', 200, 5 FROM SYSTEM_RANGE(1, " + old + ")");
      }
      tables.row(Instant.parse("2026-03-01T00:00:00Z"), "kept", 1L, 200, 5, 1, null);
      tables.body("req_old", Instant.parse("2026-01-02T00:00:00Z"));
      new HourlyRollup(db.dataSource(), false).run(Instant.parse("2026-03-02T00:00:00Z"), Integer.MAX_VALUE);
      assertThat(tables.count("SELECT COUNT(*) FROM usage_hourly WHERE hour_start < '2026-02-01'")).isPositive();

      LogRetention.Outcome outcome =
          new LogRetention(db.dataSource(), false).run(Instant.parse("2026-02-01T00:00:00Z"));

      assertThat(outcome.ran()).isTrue();
      assertThat(outcome.dropped()).isEmpty();
      assertThat(outcome.deletedRows()).isEqualTo(old + 1L); // the rows and the body
      assertThat(tables.count("SELECT COUNT(*) FROM usage_log")).isEqualTo(1);
      assertThat(tables.count("SELECT COUNT(*) FROM usage_bodies")).isZero();
      assertThat(tables.count("SELECT COUNT(*) FROM usage_hourly WHERE hour_start < '2026-02-01'")).isZero();
      assertThat(tables.count("SELECT COUNT(*) FROM usage_hourly")).isEqualTo(1);
    }
  }
}
