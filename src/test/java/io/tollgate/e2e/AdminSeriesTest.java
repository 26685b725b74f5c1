package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.LogRowInserts.Row;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GET /admin/stats/series over HTTP: points per minute, hour or day, the window's bounds for each step, group_by
 * and who may ask.
 */
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
  void minutePointsCountTheRowsOfEachMinute() {
    Instant eight = Instant.parse("2021-07-01T08:00:00Z");
    insert(Row.api(eight.plusSeconds(5), "m1", 200, 100).tokens(3, 1, null, null).cost("0.5"));
    insert(Row.api(eight.plusSeconds(59), "m1", 500, 300));
    insert(Row.api(eight.plusSeconds(120), "m2", 200, 50).tokens(5, 2, null, null));
    insert(Row.api(eight.plusSeconds(240), "m2", 200, 50)); // at "to": outside

    JsonNode series = admin("/admin/stats/series?step=minute&from=2021-07-01T08:00:00Z&to=2021-07-01T08:04:00Z");
    assertThat(series.path("step").asText()).isEqualTo("minute");
    JsonNode points = series.at("/data/0/points");
    assertThat(points.findValuesAsText("start")).containsExactly("2021-07-01T08:00:00Z", "2021-07-01T08:01:00Z",
        "2021-07-01T08:02:00Z", "2021-07-01T08:03:00Z");
    assertThat(points.findValues("hour")).as("hour is on hourly points only").isEmpty();
    assertThat(numbers(points.get(0))).containsExactly(2L, 1L, 3L, 1L);
    assertThat(points.get(0).path("cost_usd").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(numbers(points.get(1))).containsExactly(0L, 0L, 0L, 0L);
    assertThat(points.at("/1/latency_ms/p50").isNull()).isTrue();
    assertThat(numbers(points.get(2))).containsExactly(1L, 0L, 5L, 2L);
    assertThat(numbers(points.get(3))).containsExactly(0L, 0L, 0L, 0L);

    JsonNode byModel = admin("/admin/stats/series?step=MINUTE&group_by=model&from=2021-07-01T08:00:30Z"
        + "&to=2021-07-01T08:03:00Z");
    assertThat(byModel.path("data").findValuesAsText("model")).as("one request each").containsExactly("m1", "m2");
    assertThat(byModel.at("/data/0/points")).hasSize(3);
    assertThat(numbers(byModel.at("/data/0/points/0"))).as("08:00:59 only").containsExactly(1L, 1L, 0L, 0L);
    assertThat(numbers(byModel.at("/data/1/points/2"))).containsExactly(1L, 0L, 5L, 2L);
  }

  @Test
  void dayPointsCountTheRowsOfEachUtcDay() {
    Instant first = Instant.parse("2021-08-01T00:00:00Z");
    insert(Row.api(first.plusSeconds(1), "m1", 200, 100).tokens(1, 1, null, null));
    insert(Row.api(first.plusSeconds(86_399), "m1", 503, 100));
    insert(Row.api(first.plusSeconds(2 * 86_400 + 43_200), "m1", 200, 100).tokens(7, 3, null, null));
    insert(Row.api(first.minusSeconds(1), "m1", 200, 100)); // the day before

    JsonNode series = admin("/admin/stats/series?step=day&from=2021-08-01&to=2021-08-03");
    assertThat(series.path("step").asText()).isEqualTo("day");
    JsonNode points = series.at("/data/0/points");
    assertThat(points.findValuesAsText("start")).containsExactly("2021-08-01T00:00:00Z", "2021-08-02T00:00:00Z",
        "2021-08-03T00:00:00Z");
    assertThat(numbers(points.get(0))).containsExactly(2L, 1L, 1L, 1L);
    assertThat(numbers(points.get(1))).containsExactly(0L, 0L, 0L, 0L);
    assertThat(numbers(points.get(2))).containsExactly(1L, 0L, 7L, 3L);

    JsonNode hourly = admin("/admin/stats/series?from=2021-08-01&to=2021-08-01");
    assertThat(hourly.path("step").asText()).as("hour by default").isEqualTo("hour");
    assertThat(hourly.at("/data/0/points/23/hour").asText()).isEqualTo("2021-08-01T23:00:00Z");
    assertThat(hourly.at("/data/0/points/23/start").asText()).isEqualTo("2021-08-01T23:00:00Z");
    assertThat(numbers(hourly.at("/data/0/points/23"))).containsExactly(1L, 1L, 0L, 0L);
  }

  @Test
  void autoPicksMinutesUpToSixHoursHoursUpToSevenDaysThenDays() {
    String from = "/admin/stats/series?step=auto&from=2021-07-01T02:00:00Z&to=";
    assertStep(from + "2021-07-01T08:00:00Z", "minute", 360);
    assertStep(from + "2021-07-01T08:01:00Z", "hour", 7);
    assertStep(from + "2021-07-08T02:00:00Z", "hour", 168);
    assertStep(from + "2021-07-08T03:00:00Z", "day", 8);
    JsonNode minutes = admin(from + "2021-07-01T08:00:00Z");
    long requests = 0;
    for (JsonNode p : minutes.at("/data/0/points")) {
      requests += p.path("requests").asLong();
    }
    assertThat(requests).as("no rows in that window; every point a zero").isZero();
    assertStep("/admin/stats/series?step=auto&from=2020-01-01&to=2021-02-03", "day", 400);
    assertThat(badParam("/admin/stats/series?step=auto&from=2020-01-01&to=2021-02-04"))
        .as("the window is too long whatever the step").isEqualTo("from");
  }

  @Test
  void unknownStepsAndTooManyPointsForTheStepAre400s() {
    assertThat(badParam("/admin/stats/series?step=5m")).isEqualTo("step");
    assertThat(badParam("/admin/stats/series?step=week")).isEqualTo("step");
    assertStep("/admin/stats/series?step=minute&from=2021-07-01&to=2021-07-01", "minute", 1440);
    assertThat(badParam("/admin/stats/series?step=minute&from=2021-07-01&to=2021-07-02T00:01:00Z"))
        .isEqualTo("step");
    assertThat(badParam("/admin/stats/series?step=minute")).as("24 hours off the minute: 1,441 points")
        .isEqualTo("step");
    assertThat(badParam("/admin/stats/series?step=hour&from=2021-01-01&to=2021-02-01")).isEqualTo("step");
    assertStep("/admin/stats/series?step=day&from=2020-01-01&to=2021-02-03", "day", 400);
    assertThat(badParam("/admin/stats/series?step=day&from=2020-01-01&to=2021-02-04")).isEqualTo("step");
  }

  private static void assertStep(String pathAndQuery, String step, int points) {
    JsonNode series = admin(pathAndQuery);
    assertThat(series.path("step").asText()).as(pathAndQuery).isEqualTo(step);
    assertThat(series.at("/data/0/points")).as(pathAndQuery).hasSize(points);
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
