package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.LogRowInserts.Row;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /admin/stats/series over HTTP: points per hour, the window's bounds, group_by and who may ask. */
class AdminSeriesTest extends StatsFixture {
  private static final String DAY = "2021-06-01";

  @Test
  void pointsPerHourWithEmptyHoursAsZeros() {
    Instant nine = Instant.parse(DAY + "T09:00:00Z");
    insert(Row.api(nine.plusSeconds(60), "m1", 200, 100).tokens(10, 4, null, null).cost("0.01").provider("p1"));
    insert(Row.api(nine.plusSeconds(120), "m2", 502, 900).provider("p2"));
    insert(Row.api(nine.plusSeconds(2 * 3600 + 5), "m1", 200, 80).tokens(6, 2, null, null).provider("p1"));
    insert(Row.api(nine.plusSeconds(600), null, 404, 1).path("/wp-login.php")); // not an API request

    JsonNode series = admin("/api/v1/admin/stats/series?from=" + DAY + "T09:00:00Z&to=" + DAY + "T12:00:00Z");
    assertThat(series.path("object").asText()).isEqualTo("stats_series");
    assertThat(series.path("group_by").isNull()).isTrue();
    JsonNode points = series.at("/data/0/points");
    assertThat(points.findValuesAsText("hour")).containsExactly(DAY + "T09:00:00Z", DAY + "T10:00:00Z",
        DAY + "T11:00:00Z");
    assertThat(numbers(points.get(0))).containsExactly(2L, 1L, 10L, 4L);
    assertThat(points.get(0).path("cost_usd").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(numbers(points.get(1))).containsExactly(0L, 0L, 0L, 0L);
    assertThat(points.at("/1/latency_ms/p95").isNull()).isTrue();
    assertThat(numbers(points.get(2))).containsExactly(1L, 0L, 6L, 2L);

    JsonNode byProvider = admin("/admin/stats/series?group_by=provider&from=" + DAY + "&to=" + DAY);
    assertThat(byProvider.path("group_by").asText()).isEqualTo("provider");
    assertThat(byProvider.path("data").findValuesAsText("provider")).containsExactly("p1", "p2");
    assertThat(byProvider.at("/data/0/points")).as("a whole day").hasSize(24);
    assertThat(numbers(byProvider.at("/data/1/points/9"))).containsExactly(1L, 1L, 0L, 0L);
  }

  @Test
  void theDefaultWindowIsTheLastDayUpToNow() {
    HttpResponse<String> made = chat(KEY_A, "echo");
    awaitRows(List.of(made));
    JsonNode points = admin("/admin/stats/series").at("/data/0/points");
    assertThat(points.size()).as("24 hours, 25 when they do not start on the hour").isBetween(24, 25);
    long requests = 0;
    for (JsonNode p : points) {
      requests += p.path("requests").asLong();
    }
    assertThat(requests).isPositive();
  }

  @Test
  void windowsLongerThan31DaysAndUnknownGroupsAre400s() {
    assertThat(admin("/admin/stats/series?from=2021-01-01&to=2021-01-31").at("/data/0/points")).hasSize(744);
    assertThat(badParam("/admin/stats/series?from=2021-01-01&to=2021-02-01")).isEqualTo("from");
    assertThat(badParam("/admin/stats/series?group_by=user")).isEqualTo("group_by");
    assertThat(badParam("/admin/stats/series?group_by=model,key")).isEqualTo("group_by");
    assertThat(badParam("/admin/stats/series?from=not-a-time")).isEqualTo("from");
  }

  @Test
  void onlyTheAdminKeyMayAsk() {
    assertThat(get("/admin/stats/series", KEY_A).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/admin/stats/series", KEY_B).statusCode()).isEqualTo(403);
    assertThat(Http.get(server.baseUrl() + "/admin/stats/series").statusCode()).isEqualTo(401);
  }

  /** requests, errors, prompt_tokens, completion_tokens. */
  private static List<Long> numbers(JsonNode point) {
    return List.of(point.path("requests").asLong(), point.path("errors").asLong(),
        point.path("prompt_tokens").asLong(), point.path("completion_tokens").asLong());
  }
}
