package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.LogRowInserts.Row;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /admin/stats, its numbers checked against the requests this test makes and the rows it inserts. */
class AdminStatsTest extends StatsFixture {
  private static final String OLD_DAY = "2020-01-01";

  @Test
  void totalsAndBreakdownsCountTheRequestsMade() {
    Instant start = Instant.now();
    List<HttpResponse<String>> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      made.add(chat(KEY_A, "echo"));
    }
    made.add(upstreamChat(KEY_A, 11, 7));
    made.add(chat(KEY_B, "echo"));
    made.add(upstreamRefusal(KEY_B));
    HttpResponse<String> unknownKey = chat("sk-not-a-key-of-this-gateway", "echo");
    made.add(unknownKey);
    HttpResponse<String> clientOnAdmin = get("/admin/stats", KEY_A);
    made.add(clientOnAdmin);
    assertThat(made.stream().map(HttpResponse::statusCode).toList())
        .containsExactly(200, 200, 200, 200, 200, 400, 401, 403);
    awaitRows(made);
    long prompt = 0;
    long completion = 0;
    for (HttpResponse<String> r : made) {
      if (r.statusCode() == 200) {
        prompt += Http.json(r).at("/usage/prompt_tokens").asLong();
        completion += Http.json(r).at("/usage/completion_tokens").asLong();
      }
    }
    assertThat(prompt).isGreaterThan(11);

    JsonNode stats = admin("/admin/stats?from=" + start);
    assertThat(stats.at("/window/from").asText()).isEqualTo(start.toString());
    assertThat(stats.path("uptime_seconds").asLong()).isNotNegative();
    // The client key's refused admin call is in the log, but it is no API request.
    JsonNode totals = stats.path("totals");
    assertThat(totals.path("requests").asLong()).isEqualTo(7);
    assertThat(totals.path("successes").asLong()).isEqualTo(5);
    assertThat(totals.path("failures").asLong()).isEqualTo(2);
    assertThat(totals.path("success_rate").asDouble()).isEqualTo(0.7143);
    assertThat(totals.path("prompt_tokens").asLong()).isEqualTo(prompt);
    assertThat(totals.path("completion_tokens").asLong()).isEqualTo(completion);
    assertOrderedPercentiles(totals);

    Map<String, JsonNode> byModel = groups(stats.at("/by_model/data"), "model");
    assertThat(byModel.keySet()).containsExactly("echo", "fake-model", "null");
    assertThat(counts(byModel.get("echo"))).containsExactly(4L, 4L, 0L);
    assertThat(counts(byModel.get("fake-model"))).containsExactly(2L, 1L, 1L);
    assertThat(byModel.get("fake-model").path("prompt_tokens").asLong()).isEqualTo(11);
    assertThat(byModel.get("fake-model").path("completion_tokens").asLong()).isEqualTo(7);
    assertThat(counts(byModel.get("null"))).containsExactly(1L, 0L, 1L);
    assertThat(stats.at("/by_model/has_more").asBoolean()).isFalse();

    Map<String, JsonNode> byKey = groups(stats.at("/by_key/data"), "key_id");
    JsonNode alpha = byKey.get(String.valueOf(keyId("alpha")));
    JsonNode beta = byKey.get(String.valueOf(keyId("beta")));
    assertThat(alpha.path("key_name").asText()).isEqualTo("alpha");
    assertThat(counts(alpha)).containsExactly(4L, 4L, 0L);
    assertThat(alpha.path("prompt_tokens").asLong() + beta.path("prompt_tokens").asLong()).isEqualTo(prompt);
    assertThat(beta.path("key_name").asText()).isEqualTo("beta");
    assertThat(counts(beta)).containsExactly(2L, 1L, 1L);
    assertThat(beta.path("success_rate").asDouble()).isEqualTo(0.5);
    assertThat(counts(byKey.get("null"))).containsExactly(1L, 0L, 1L);

    Map<String, JsonNode> byProvider = groups(stats.at("/by_provider/data"), "provider");
    assertThat(byProvider.keySet()).containsExactly("demo", "fake", "null");
    assertThat(counts(byProvider.get("fake"))).containsExactly(2L, 1L, 1L);
    assertThat(groups(stats.at("/by_user/data"), "user_id").keySet()).containsExactly("null");
    assertThat(stats.has("by_status")).as("status only when asked for").isFalse();

    JsonNode byStatus = admin("/admin/stats?group_by=status&from=" + start);
    assertThat(byStatus.has("by_model")).isFalse();
    Map<String, JsonNode> statuses = groups(byStatus.at("/by_status/data"), "status");
    assertThat(statuses.keySet()).containsExactly("200", "400", "401");
    assertThat(statuses.get("200").path("requests").asLong()).isEqualTo(5);
  }

  @Test
  void onlyRowsInsideTheWindowCount() {
    Instant t = Instant.parse(OLD_DAY + "T10:00:00Z");
    insert(Row.api(t, "old-model", 200, 100).tokens(100, 50, 30, 20).cost("0.0015").key(9001, "old-key"));
    insert(Row.api(t.plusSeconds(3600), "old-model", 500, 300).tokens(100, 0, null, null).key(9001, "old-key"));
    insert(Row.api(t.plusSeconds(7200), "old-model", 200, 5000)); // at "to": excluded
    insert(Row.api(t.minusNanos(1000), "old-model", 200, 5000)); // a microsecond before "from"
    insert(Row.api(t.plusSeconds(1800), null, 401, 1).path("/admin/keys")); // a refused admin call
    insert(Row.api(t.plusSeconds(1800), null, 404, 1).path("/wp-login.php")); // not an API path

    JsonNode stats = admin("/admin/stats?from=" + OLD_DAY + "T10:00:00Z&to=" + OLD_DAY + "T12:00:00Z");
    assertThat(stats.at("/window/to").asText()).isEqualTo(OLD_DAY + "T12:00:00Z");
    JsonNode totals = stats.path("totals");
    assertThat(counts(totals)).containsExactly(2L, 1L, 1L);
    assertThat(totals.path("prompt_tokens").asLong()).isEqualTo(200);
    assertThat(totals.path("completion_tokens").asLong()).isEqualTo(50);
    assertThat(totals.path("cached_tokens").asLong()).isEqualTo(30);
    assertThat(totals.path("reasoning_tokens").asLong()).isEqualTo(20);
    assertThat(totals.path("cost_usd").decimalValue()).isEqualByComparingTo("0.0015");
    assertThat(totals.path("priced_requests").asLong()).isEqualTo(1);
    // Continuous percentiles of 100 and 300 ms: interpolated, as PostgreSQL's percentile_cont does.
    assertThat(totals.at("/latency_ms/p50").asDouble()).isEqualTo(200.0);
    assertThat(totals.at("/latency_ms/p95").asDouble()).isEqualTo(290.0);
    assertThat(totals.at("/latency_ms/p99").asDouble()).isEqualTo(298.0);
    assertThat(totals.at("/ttfb_ms/p50").asDouble()).isEqualTo(100.0);
    assertThat(stats.at("/by_key/data/0/key_id").asLong()).isEqualTo(9001);

    // The same window in another offset, its '+' sent plain (a space once decoded) and encoded.
    JsonNode offset = admin("/admin/stats?group_by=none&from=" + OLD_DAY + "T11:00:00+01:00&to=" + OLD_DAY
        + "T13:00:00%2B01:00");
    assertThat(offset.at("/window/from").asText()).isEqualTo(OLD_DAY + "T10:00:00Z");
    assertThat(offset.at("/totals/requests").asLong()).isEqualTo(2);

    // A date takes in its whole day: all four API rows, none of the others.
    JsonNode day = admin("/admin/stats?group_by=none&from=" + OLD_DAY + "&to=" + OLD_DAY);
    assertThat(day.at("/window/from").asText()).isEqualTo(OLD_DAY + "T00:00:00Z");
    assertThat(day.at("/window/to").asText()).isEqualTo("2020-01-02T00:00:00Z");
    assertThat(day.at("/totals/requests").asLong()).isEqualTo(4);
    assertThat(day.has("by_model")).isFalse();

    // The default window is the last 24 hours, far from 2020.
    JsonNode recent = admin("/admin/stats");
    assertThat(recent.at("/by_model/data").findValuesAsText("model")).doesNotContain("old-model");
    assertThat(Instant.parse(recent.at("/window/to").asText()).getEpochSecond()
        - Instant.parse(recent.at("/window/from").asText()).getEpochSecond()).isEqualTo(86_400);
  }

  @Test
  void anEmptyWindowHasZerosAndNoRate() {
    JsonNode totals = admin("/admin/stats?from=1999-01-01&to=1999-01-02").path("totals");
    assertThat(counts(totals)).containsExactly(0L, 0L, 0L);
    assertThat(totals.path("success_rate").isNull()).isTrue();
    assertThat(totals.path("cost_usd").decimalValue()).isEqualByComparingTo("0");
    assertThat(totals.at("/latency_ms/p50").isNull()).isTrue();
  }

  @Test
  void breakdownsStopAtTheHundredBusiestGroups() {
    Instant t = Instant.parse("2020-02-01T10:00:00Z");
    for (int i = 0; i < 101; i++) {
      insert(Row.api(t.plusSeconds(i), "many-" + i, 200, 10));
    }
    insert(Row.api(t.plusSeconds(200), "many-7", 200, 10));
    JsonNode stats = admin("/admin/stats?group_by=model&from=2020-02-01&to=2020-02-01");
    assertThat(stats.at("/by_model/data").size()).isEqualTo(100);
    assertThat(stats.at("/by_model/has_more").asBoolean()).isTrue();
    assertThat(stats.at("/by_model/data/0/model").asText()).as("the busiest first").isEqualTo("many-7");
    assertThat(stats.at("/totals/requests").asLong()).as("totals count every group").isEqualTo(102);
  }

  @Test
  void badParametersAre400sNamingThem() {
    assertThat(badParam("/admin/stats?from=yesterday")).isEqualTo("from");
    assertThat(badParam("/admin/stats?to=2020-13-01")).isEqualTo("to");
    assertThat(badParam("/admin/stats?from=2020-01-01T00:00:00")).as("no offset").isEqualTo("from");
    assertThat(badParam("/admin/stats?from=2020-01-02&to=2020-01-01")).isEqualTo("from");
    assertThat(badParam("/admin/stats?group_by=colour")).isEqualTo("group_by");
    assertThat(badParam("/admin/stats?group_by=model,,key")).isEqualTo("group_by");
  }

  @Test
  void clientKeysAndNoKeyAreRefused() {
    // Also under /api/v1/admin, which is admin territory whether or not it serves this resource.
    for (String path : List.of("/admin/stats", "/api/v1/admin/stats?limit=1")) {
      assertThat(get(path, KEY_A).statusCode()).as(path).isEqualTo(403);
      assertThat(get(path, "sk-nobody-at-all-0000000").statusCode()).as(path).isEqualTo(401);
      assertThat(Http.get(server.baseUrl() + path).statusCode()).as(path).isEqualTo(401);
    }
  }

  private static void assertOrderedPercentiles(JsonNode numbers) {
    double p50 = numbers.at("/latency_ms/p50").asDouble();
    assertThat(numbers.at("/latency_ms/p50").isNumber()).isTrue();
    assertThat(numbers.at("/latency_ms/p95").asDouble()).isGreaterThanOrEqualTo(p50);
    assertThat(numbers.at("/latency_ms/p99").asDouble()).isGreaterThanOrEqualTo(numbers.at("/latency_ms/p95")
        .asDouble());
  }

  /** requests, successes, failures. */
  static List<Long> counts(JsonNode n) {
    return List.of(n.path("requests").asLong(), n.path("successes").asLong(), n.path("failures").asLong());
  }

  /** The groups of a breakdown by their value of {@code field} ("null" for none), in the order given. */
  static Map<String, JsonNode> groups(JsonNode data, String field) {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    data.forEach(g -> out.put(g.path(field).isNull() ? "null" : g.path(field).asText(), g));
    return out;
  }
}
