package io.tollgate.admin.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.persistence.Database;
import io.tollgate.retention.HourlyRollup;
import io.tollgate.testing.LogTables;
import io.tollgate.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Stats over hours rolled up into usage_hourly answer what the raw rows alone answer: the same counts, tokens and
 * cost in totals and every breakdown, percentiles within the histogram's bucket precision. On PostgreSQL and H2.
 */
class RollupStatsTest {
  private static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");
  private static final TimeWindow WINDOW = new TimeWindow(DAY.plusSeconds(20 * 60), DAY.plusSeconds(340 * 60));
  private static final List<Dimension> ALL = List.of(Dimension.MODEL, Dimension.KEY, Dimension.USER,
      Dimension.PROVIDER, Dimension.STATUS);
  private static final TestDatabase PG = TestDatabase.create();

  @AfterAll
  static void dropDatabase() {
    PG.close();
  }

  @Test
  void rolledUpStatsEqualRawStatsOnPostgresql() throws Exception {
    try (Database db = StatsDatabases.postgres(PG)) {
      rolledUpEqualsRaw(db, true);
    }
  }

  @Test
  void rolledUpStatsEqualRawStatsOnH2() throws Exception {
    try (Database db = StatsDatabases.h2()) {
      rolledUpEqualsRaw(db, false);
    }
  }

  private void rolledUpEqualsRaw(Database db, boolean postgres) throws Exception {
    LogTables tables = new LogTables(db.dataSource());
    for (int minute = 0; minute < 360; minute += 7) { // six hours, rows on and off the hour boundaries
      Instant ts = DAY.plus(Duration.ofMinutes(minute));
      int status = minute % 5 == 0 ? 500 : 200;
      String model = minute % 3 == 0 ? null : "model-" + minute % 2;
      Long key = minute % 4 == 0 ? null : (long) (minute % 3);
      tables.row(ts, model, key, status, 20 + minute * 13L, 100 + minute, new BigDecimal("0.00012345"));
    }
    StatsQuery stats = new StatsQuery(db.dataSource());
    JsonNode raw = run(stats);
    assertThat(raw.at("/totals/requests").asLong()).isGreaterThan(40);

    HourlyRollup rollup = new HourlyRollup(db.dataSource(), postgres);
    assertThat(rollup.run(DAY.plus(Duration.ofHours(5)), 2)).as("at most the hours asked for").isEqualTo(2);
    assertThat(rollup.run(DAY.plus(Duration.ofMinutes(5 * 60 + 10)))).as("hours 00 to 04 are closed").isEqualTo(5);
    assertThat(tables.count("SELECT COUNT(*) FROM usage_hourly")).isPositive();
    assertSameAnswer(run(stats), raw);

    // A late row in a rolled hour, then the next run, which recomputes the last two hours.
    tables.row(DAY.plus(Duration.ofMinutes(3 * 60 + 30)), "model-1", 1L, 200, 999, 50, BigDecimal.ONE);
    JsonNode rawWithLateRow = runRawOnly(db);
    rollup.run(DAY.plus(Duration.ofMinutes(5 * 60 + 20)));
    JsonNode rolled = run(stats);
    assertSameAnswer(rolled, rawWithLateRow);
    assertThat(rolled.at("/totals/requests").asLong()).isEqualTo(raw.at("/totals/requests").asLong() + 1);
  }

  private static JsonNode run(StatsQuery stats) throws SQLException {
    ObjectNode out = Json.MAPPER.createObjectNode();
    stats.run(WINDOW, ALL, out);
    return out;
  }

  /** The raw answer: the same query with the rollups out of sight (watermark cleared, then put back). */
  private static JsonNode runRawOnly(Database db) throws SQLException {
    try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
      var rs = s.executeQuery("SELECT rolled_until FROM usage_rollup_state");
      rs.next();
      Object watermark = rs.getObject(1);
      s.executeUpdate("UPDATE usage_rollup_state SET rolled_until = NULL");
      JsonNode raw = run(new StatsQuery(db.dataSource()));
      try (var ps = c.prepareStatement("UPDATE usage_rollup_state SET rolled_until = ?")) {
        ps.setObject(1, watermark);
        ps.executeUpdate();
      }
      return raw;
    }
  }

  private static void assertSameAnswer(JsonNode rolled, JsonNode raw) {
    assertSameNumbers(rolled.get("totals"), raw.get("totals"));
    for (Dimension d : ALL) {
      JsonNode rolledGroups = rolled.at("/" + d.field() + "/data");
      JsonNode rawGroups = raw.at("/" + d.field() + "/data");
      assertThat(rolledGroups.size()).as(d.field()).isEqualTo(rawGroups.size());
      for (int i = 0; i < rawGroups.size(); i++) {
        for (String column : d.columns()) {
          assertThat(rolledGroups.get(i).get(column)).as(d.field() + " " + column)
              .isEqualTo(rawGroups.get(i).get(column));
        }
        assertSameNumbers(rolledGroups.get(i), rawGroups.get(i));
      }
    }
  }

  private static void assertSameNumbers(JsonNode rolled, JsonNode raw) {
    for (String field : List.of("requests", "successes", "failures", "success_rate", "prompt_tokens",
        "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_usd", "priced_requests")) {
      assertThat(rolled.get(field)).as(field).isEqualTo(raw.get(field));
    }
    // Bucket midpoints against interpolated exact values: within a bucket (10.5%) plus interpolation slack.
    for (String p : List.of("/latency_ms/p50", "/latency_ms/p95", "/ttfb_ms/p50")) {
      double exact = raw.at(p).asDouble();
      assertThat(rolled.at(p).asDouble()).as(p).isCloseTo(exact, within(Math.max(2.0, exact * 0.25)));
    }
  }
}
