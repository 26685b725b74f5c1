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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hourly series: each hour's numbers are those of the rows the test inserted, whether the hour is rolled up
 * into usage_hourly or read raw; hours without requests are zeros; on PostgreSQL and H2.
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

  private static Instant at(int hour, int minute) {
    return HOUR_10.plusSeconds((hour - 10) * 3600L + minute * 60L);
  }

  /** The answer as a client reads it (cost_usd is a raw number until written out). */
  private static JsonNode run(SeriesQuery series, TimeWindow window, Dimension d) throws Exception {
    ObjectNode out = Json.MAPPER.createObjectNode();
    series.run(window, d, out);
    return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(out));
  }

  private static void assertPoint(JsonNode point, String hour, long requests, long errors, long prompt,
      long completion, String cost) {
    assertThat(point.path("hour").asText()).isEqualTo(hour);
    assertThat(List.of(point.path("requests").asLong(), point.path("errors").asLong(),
        point.path("prompt_tokens").asLong(), point.path("completion_tokens").asLong()))
        .as(hour).containsExactly(requests, errors, prompt, completion);
    assertThat(point.path("cost_usd").decimalValue()).as(hour + " cost").isEqualByComparingTo(cost);
  }
}
