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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The series by the hour, day and minute: each point's numbers are those of the rows the test inserted, whether its
 * hours are rolled up into usage_hourly or read raw; points without requests are zeros; on PostgreSQL and H2.
 */
class SeriesTest {
  private static final Instant HOUR_10 = Instant.parse("2026-10-01T10:00:00Z");
  private static final TimeWindow WINDOW = new TimeWindow(HOUR_10, HOUR_10.plusSeconds(4 * 3600));
  private static final TestDatabase PG = TestDatabase.create();

  @AfterAll
  static void dropDatabase() {
    PG.close();
  }

  @ParameterizedTest(name = "on PostgreSQL: {0}")
  @ValueSource(booleans = {true, false})
  void hoursRolledUpAndRawAreTheRowsInserted(boolean postgres) throws Exception {
    try (Database db = postgres ? StatsDatabases.postgres(PG) : StatsDatabases.h2()) {
      hoursRolledUpAndRaw(db, postgres);
    }
  }

  private void hoursRolledUpAndRaw(Database db, boolean postgres) throws Exception {
    LogTables tables = new LogTables(db.dataSource());
    tables.row(at(10, 5), "model-a", 1L, 200, 100, 10, new BigDecimal("0.001"));
    tables.row(at(10, 40), "model-b", 2L, 500, 300, 20, new BigDecimal("0.002"));
    tables.row(at(12, 30), "model-a", 1L, 200, 50, 30, null);
    tables.row(at(13, 10), "model-a", null, 429, 1000, null, null);
    tables.row(at(13, 59), "model-b", 2L, 200, 200, 40, new BigDecimal("0.004"));
    tables.row(at(14, 0), "model-b", 2L, 200, 200, 40, null); // at "to": outside the window
    SeriesQuery series = new SeriesQuery(db.dataSource());
    JsonNode raw = run(series, WINDOW, null);

    // Hours 10 and 11 are closed at 12:10; 12 and 13 stay raw.
    assertThat(new HourlyRollup(db.dataSource(), postgres).run(at(12, 10))).isEqualTo(2);
    assertThat(tables.count("SELECT COUNT(*) FROM usage_hourly")).isEqualTo(2);
    JsonNode mixed = run(series, WINDOW, null);
    assertThat(mixed).isEqualTo(raw);

    JsonNode points = mixed.at("/data/0/points");
    assertThat(mixed.get("data")).hasSize(1);
    assertThat(points).hasSize(4);
    assertPoint(points.get(0), "2026-10-01T10:00:00Z", 2, 1, 30, 15, "0.003");
    assertThat(points.get(0).at("/latency_ms/p50").asDouble()).isCloseTo(100, within(10.0));
    assertThat(points.get(0).at("/latency_ms/p95").asDouble()).isCloseTo(300, within(30.0));
    assertPoint(points.get(1), "2026-10-01T11:00:00Z", 0, 0, 0, 0, "0");
    assertThat(points.get(1).at("/latency_ms/p50").isNull()).as("no latency in an empty hour").isTrue();
    assertPoint(points.get(2), "2026-10-01T12:00:00Z", 1, 0, 30, 15, "0");
    assertThat(points.get(2).at("/latency_ms/p50").asDouble()).isCloseTo(50, within(5.0));
    assertPoint(points.get(3), "2026-10-01T13:00:00Z", 2, 1, 40, 20, "0.004");

    JsonNode byModel = run(series, WINDOW, Dimension.MODEL);
    assertThat(byModel.get("data")).hasSize(2);
    assertThat(byModel.at("/data/0/model").asText()).as("busiest first").isEqualTo("model-a");
    JsonNode a = byModel.at("/data/0/points");
    assertPoint(a.get(0), "2026-10-01T10:00:00Z", 1, 0, 10, 5, "0.001");
    assertPoint(a.get(1), "2026-10-01T11:00:00Z", 0, 0, 0, 0, "0");
    assertPoint(a.get(3), "2026-10-01T13:00:00Z", 1, 1, 0, 0, "0");
    JsonNode b = byModel.at("/data/1/points");
    assertPoint(b.get(0), "2026-10-01T10:00:00Z", 1, 1, 20, 10, "0.002");
    assertPoint(b.get(2), "2026-10-01T12:00:00Z", 0, 0, 0, 0, "0");

    JsonNode byKey = run(series, WINDOW, Dimension.KEY);
    assertThat(byKey.findValues("key_name").stream().map(JsonNode::asText).toList())
        .containsExactly("key1", "key2", "null");

    // A window starting off the hour: its first point holds only the part of the hour inside it.
    JsonNode edge = run(series, new TimeWindow(at(10, 30), at(12, 45)), null);
    assertThat(edge.at("/data/0/points")).hasSize(3);
    assertPoint(edge.at("/data/0/points/0"), "2026-10-01T10:00:00Z", 1, 1, 20, 10, "0.002");
    assertPoint(edge.at("/data/0/points/2"), "2026-10-01T12:00:00Z", 1, 0, 30, 15, "0");
  }

  @ParameterizedTest(name = "on PostgreSQL: {0}")
  @ValueSource(booleans = {true, false})
  void daysFromRollupsAndRawRowsMinutesFromRawRows(boolean postgres) throws Exception {
    try (TestDatabase pg = postgres ? TestDatabase.create() : null;
        Database db = postgres ? StatsDatabases.postgres(pg) : StatsDatabases.h2()) {
      daysAndMinutes(db, postgres);
    }
  }

  private void daysAndMinutes(Database db, boolean postgres) throws Exception {
    LogTables tables = new LogTables(db.dataSource());
    Instant day1 = Instant.parse("2026-10-01T00:00:00Z");
    tables.row(day1.plusSeconds(30), "model-a", 1L, 200, 100, 10, new BigDecimal("0.001"));
    tables.row(day1.plusSeconds(10 * 3600 + 300), "model-a", 1L, 500, 300, 20, null);
    tables.row(day1.plusSeconds(86_399), "model-b", 2L, 200, 200, 30, new BigDecimal("0.002"));
    Instant day3 = day1.plusSeconds(2 * 86_400);
    tables.row(day3.plusSeconds(2 * 3600 + 1815), "model-a", 1L, 200, 50, 40, null); // 02:30:15
    tables.row(day3.plusSeconds(5 * 3600), "model-b", 2L, 429, 10, null, null);
    SeriesQuery series = new SeriesQuery(db.dataSource());
    TimeWindow days = new TimeWindow(day1, day1.plusSeconds(3 * 86_400));
    TimeWindow minutes = new TimeWindow(day3.plusSeconds(2 * 3600 + 28 * 60 + 30), day3.plusSeconds(9130));
    JsonNode rawDays = run(series, days, SeriesStep.DAY, null);
    JsonNode rawMinutes = run(series, minutes, SeriesStep.MINUTE, null);

    JsonNode points = rawDays.at("/data/0/points");
    assertThat(points.findValuesAsText("start")).containsExactly("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z",
        "2026-10-03T00:00:00Z");
    assertThat(points.findValues("hour")).as("only hourly points have hour").isEmpty();
    assertStart(points.get(0), "2026-10-01T00:00:00Z", 3, 1, 60, 30, "0.003");
    assertStart(points.get(1), "2026-10-02T00:00:00Z", 0, 0, 0, 0, "0");
    assertThat(points.get(1).at("/latency_ms/p50").isNull()).isTrue();
    assertStart(points.get(2), "2026-10-03T00:00:00Z", 2, 1, 40, 20, "0");
    JsonNode edge = run(series, new TimeWindow(day1.plusSeconds(10 * 3600 + 180), day3.plusSeconds(4 * 3600)),
        SeriesStep.DAY, Dimension.MODEL);
    assertThat(edge.at("/data/0/model").asText()).isEqualTo("model-a");
    assertStart(edge.at("/data/0/points/0"), "2026-10-01T00:00:00Z", 1, 1, 20, 10, "0");
    assertStart(edge.at("/data/0/points/2"), "2026-10-03T00:00:00Z", 1, 0, 40, 20, "0");
    assertStart(edge.at("/data/1/points/0"), "2026-10-01T00:00:00Z", 1, 0, 30, 15, "0.002");
    assertStart(edge.at("/data/1/points/2"), "2026-10-03T00:00:00Z", 0, 0, 0, 0, "0");

    JsonNode minute = rawMinutes.at("/data/0/points");
    assertThat(minute.findValuesAsText("start")).containsExactly("2026-10-03T02:28:00Z", "2026-10-03T02:29:00Z",
        "2026-10-03T02:30:00Z", "2026-10-03T02:31:00Z", "2026-10-03T02:32:00Z");
    assertStart(minute.get(1), "2026-10-03T02:29:00Z", 0, 0, 0, 0, "0");
    assertStart(minute.get(2), "2026-10-03T02:30:00Z", 1, 0, 40, 20, "0");
    assertThat(minute.get(2).at("/latency_ms/p50").asDouble()).isCloseTo(50, within(5.0));

    // Every hour before 03:00 on the third day rolled up: the same answers, now partly from usage_hourly.
    assertThat(new HourlyRollup(db.dataSource(), postgres).run(day3.plusSeconds(3 * 3600 + 600), 100))
        .isEqualTo(51);
    assertThat(run(series, days, SeriesStep.DAY, null)).isEqualTo(rawDays);
    assertThat(run(series, minutes, SeriesStep.MINUTE, null)).as("minutes read the raw rows only")
        .isEqualTo(rawMinutes);
    // With the raw rows of the rolled hours gone, days still count them: they come from usage_hourly.
    assertThat(tables.count("SELECT COUNT(*) FROM usage_hourly")).isPositive();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM usage_log WHERE ts < ?")) {
      ps.setObject(1, OffsetDateTime.parse("2026-10-03T03:00:00Z"));
      assertThat(ps.executeUpdate()).isEqualTo(4);
    }
    assertThat(run(series, days, SeriesStep.DAY, null)).isEqualTo(rawDays);
  }

  private static void assertStart(JsonNode point, String start, long requests, long errors, long prompt,
      long completion, String cost) {
    assertThat(point.path("start").asText()).isEqualTo(start);
    assertThat(List.of(point.path("requests").asLong(), point.path("errors").asLong(),
        point.path("prompt_tokens").asLong(), point.path("completion_tokens").asLong()))
        .as(start).containsExactly(requests, errors, prompt, completion);
    assertThat(point.path("cost_usd").decimalValue()).as(start + " cost").isEqualByComparingTo(cost);
  }

  private static Instant at(int hour, int minute) {
    return HOUR_10.plusSeconds((hour - 10) * 3600L + minute * 60L);
  }

  /** The answer as a client reads it (cost_usd is a raw number until written out). */
  private static JsonNode run(SeriesQuery series, TimeWindow window, Dimension d) throws Exception {
    return run(series, window, SeriesStep.HOUR, d);
  }

  private static JsonNode run(SeriesQuery series, TimeWindow window, SeriesStep step, Dimension d)
      throws Exception {
    ObjectNode out = Json.MAPPER.createObjectNode();
    series.run(window, step, step.points(window, true), d, out);
    return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(out));
  }

  private static void assertPoint(JsonNode point, String hour, long requests, long errors, long prompt,
      long completion, String cost) {
    assertThat(point.path("hour").asText()).isEqualTo(hour);
    assertThat(point.path("start").asText()).as("start is hour on hourly points").isEqualTo(hour);
    assertThat(List.of(point.path("requests").asLong(), point.path("errors").asLong(),
        point.path("prompt_tokens").asLong(), point.path("completion_tokens").asLong()))
        .as(hour).containsExactly(requests, errors, prompt, completion);
    assertThat(point.path("cost_usd").decimalValue()).as(hour + " cost").isEqualByComparingTo(cost);
  }
}
