package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.LogRowInserts.Row;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /admin/logs: filters, newest-first order and cursor paging, on real requests and inserted rows. */
class AdminLogsTest extends StatsFixture {

  @Test
  void rowsOfOneKeyShowWhatItsRequestsDid() {
    Instant start = Instant.now();
    HttpResponse<String> first = chat(KEY_A, "echo");
    HttpResponse<String> second = upstreamChat(KEY_A, 13, 5);
    HttpResponse<String> other = chat(KEY_B, "echo");
    awaitRows(List.of(first, second, other));

    long alpha = keyId("alpha");
    JsonNode page = admin("/admin/logs?key_id=" + alpha + "&from=" + start);
    assertThat(page.path("object").asText()).isEqualTo("list");
    assertThat(page.path("has_more").asBoolean()).isFalse();
    assertThat(page.path("next").isNull()).isTrue();
    JsonNode data = page.path("data");
    assertThat(data.findValuesAsText("request_id")).containsExactly(requestId(second), requestId(first));
    JsonNode row = data.get(0);
    assertThat(row.path("key_id").asLong()).isEqualTo(alpha);
    assertThat(row.path("key_name").asText()).isEqualTo("alpha");
    assertThat(row.path("model").asText()).isEqualTo("fake-model");
    assertThat(row.path("provider").asText()).isEqualTo("fake");
    assertThat(row.path("upstream_model").asText()).isEqualTo("fake-upstream");
    assertThat(row.path("path").asText()).isEqualTo("/v1/chat/completions");
    assertThat(row.path("status").asInt()).isEqualTo(200);
    assertThat(row.path("prompt_tokens").asInt()).isEqualTo(13);
    assertThat(row.path("completion_tokens").asInt()).isEqualTo(5);
    assertThat(row.path("attempts").asInt()).isEqualTo(1);
    assertThat(row.has("cost_usd")).isTrue();
    assertThat(row.has("usage_source")).isTrue();
    assertThat(row.has("user_id")).isTrue();
    assertThat(row.path("latency_ms").isIntegralNumber()).isTrue();
    assertThat(data.get(1).path("prompt_tokens").asInt())
        .isEqualTo(Http.json(first).at("/usage/prompt_tokens").asInt());

    JsonNode byModel = admin("/admin/logs?model=fake-model&provider=fake&from=" + start).path("data");
    assertThat(byModel.findValuesAsText("request_id")).containsExactly(requestId(second));
  }

  @Test
  void oneRequestByItsIdHasNoBodiesWhenLogBodiesIsOff() {
    HttpResponse<String> r = chat(KEY_A, "echo");
    awaitRows(List.of(r));
    JsonNode one = admin("/admin/logs/" + requestId(r));
    assertThat(one.path("request_id").asText()).isEqualTo(requestId(r));
    assertThat(one.path("model").asText()).isEqualTo("echo");
    assertThat(one.path("request_body").isNull()).isTrue();
    assertThat(one.path("response_body").isNull()).isTrue();
    HttpResponse<String> unknown = get("/admin/logs/req_never_was", ADMIN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.json(unknown).path("error").path("param").asText()).isEqualTo("request_id");
  }

  @Test
  void filtersPickTheirRows() {
    Instant t = Instant.parse("2021-05-01T10:00:00Z");
    long a = insert(Row.api(t, "m-one", 200, 10).provider("p-one").key(7001, "k1").user(8001));
    long b = insert(Row.api(t.plusSeconds(60), "m-two", 404, 10).provider("p-two").key(7002, "k2"));
    long c = insert(Row.api(t.plusSeconds(120), "m-one", 429, 10).provider("p-two").key(7001, "k1").user(8001));
    long d = insert(Row.api(t.plusSeconds(180), "m-two", 502, 10).provider("p-one").cost("0.00000012"));
    String day = "&from=2021-05-01&to=2021-05-01";
    assertThat(ids("/admin/logs?" + day)).containsExactly(d, c, b, a);
    assertThat(ids("/admin/logs?key_id=7001" + day)).containsExactly(c, a);
    assertThat(ids("/admin/logs?user_id=8001" + day)).containsExactly(c, a);
    assertThat(ids("/admin/logs?model=m-two" + day)).containsExactly(d, b);
    assertThat(ids("/admin/logs?provider=p-two" + day)).containsExactly(c, b);
    assertThat(ids("/admin/logs?status=4xx" + day)).containsExactly(c, b);
    assertThat(ids("/admin/logs?status=404" + day)).containsExactly(b);
    assertThat(ids("/admin/logs?status=5XX" + day)).containsExactly(d);
    assertThat(ids("/admin/logs?status=2xx&model=m-one" + day)).containsExactly(a);
    assertThat(ids("/admin/logs?from=2021-05-01T10:01:00Z&to=2021-05-01T10:03:00Z")).containsExactly(c, b);
    // A plain decimal as stored, never 1.2E-7.
    assertThat(get("/admin/logs?model=m-two" + day, ADMIN).body()).contains("\"cost_usd\":0.00000012,")
        .contains("\"cost_usd\":null,");
  }

  @Test
  void pagingVisitsEveryRowOnceNewestFirstWhileRowsArrive() {
    Instant t = Instant.parse("2021-06-01T10:00:00Z");
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // Pairs share a timestamp, so the id breaks the tie.
      expected.add(insert(Row.api(t.plusSeconds(i / 2), "paged", 200, 10)));
    }
    String window = "from=2021-06-01&to=2021-06-01&limit=2";
    List<Long> seen = new ArrayList<>();
    JsonNode page = admin("/admin/logs?" + window);
    int pages = 1;
    long newer = 0;
    long older = 0;
    while (true) {
      assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
      page.path("data").forEach(r -> seen.add(r.path("id").asLong()));
      if (pages == 1) {
        // Written between pages: one newer than every row paged so far, one older than all of them.
        newer = insert(Row.api(t.plusSeconds(30), "paged", 200, 10));
        older = insert(Row.api(t.minusSeconds(30), "paged", 200, 10));
      }
      if (!page.path("has_more").asBoolean()) {
        assertThat(page.path("next").isNull()).isTrue();
        break;
      }
      page = admin("/admin/logs?" + window + "&after=" + page.path("next").asText());
      pages++;
    }
    List<Long> newestFirst = new ArrayList<>(expected);
    java.util.Collections.reverse(newestFirst);
    newestFirst.add(older);
    assertThat(seen).containsExactlyElementsOf(newestFirst).doesNotContain(newer);
    assertThat(pages).isEqualTo(4);
    assertThat(ids("/admin/logs?" + window.replace("limit=2", "limit=500"))).hasSize(9).startsWith(newer);
  }

  @Test
  void noParametersGiveTheNewestFifty() {
    Instant t = Instant.parse("2019-03-01T00:00:00Z");
    for (int i = 0; i < 55; i++) {
      insert(Row.api(t.plusSeconds(i), "fill", 200, 10));
    }
    JsonNode page = admin("/admin/logs");
    assertThat(page.path("data").size()).isEqualTo(50);
    assertThat(page.path("has_more").asBoolean()).isTrue();
    List<Instant> times = new ArrayList<>();
    page.path("data").forEach(r -> times.add(Instant.parse(r.path("ts").asText())));
    assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void badParametersAre400sNamingThem() {
    assertThat(badParam("/admin/logs?limit=0")).isEqualTo("limit");
    assertThat(badParam("/admin/logs?limit=10000")).isEqualTo("limit");
    assertThat(badParam("/admin/logs?limit=ten")).isEqualTo("limit");
    assertThat(badParam("/admin/logs?from=last-week")).isEqualTo("from");
    assertThat(badParam("/admin/logs?to=2021-02-30")).isEqualTo("to");
    assertThat(badParam("/admin/logs?status=6xx")).isEqualTo("status");
    assertThat(badParam("/admin/logs?status=ok")).isEqualTo("status");
    assertThat(badParam("/admin/logs?status=20")).isEqualTo("status");
    assertThat(badParam("/admin/logs?after=not-a-cursor")).isEqualTo("after");
    assertThat(badParam("/admin/logs?after=MTo5OTk5")).as("base64 of something else").isEqualTo("after");
    assertThat(badParam("/admin/logs?key_id=-3")).isEqualTo("key_id");
    assertThat(badParam("/admin/logs?user_id=bob")).isEqualTo("user_id");
    assertThat(badParam("/admin/logs?from=2021-01-02&to=2021-01-01")).isEqualTo("from");
  }

  @Test
  void clientKeysAndNoKeyAreRefused() {
    // Also under /api/v1/admin, which is admin territory whether or not it serves this resource.
    for (String path : List.of("/admin/logs", "/api/v1/admin/logs?limit=1")) {
      assertThat(get(path, KEY_B).statusCode()).as(path).isEqualTo(403);
      assertThat(get(path, "sk-nobody-at-all-0000000").statusCode()).as(path).isEqualTo(401);
      assertThat(Http.get(server.baseUrl() + path).statusCode()).as(path).isEqualTo(401);
    }
  }

  private static List<Long> ids(String pathAndQuery) {
    List<Long> out = new ArrayList<>();
    admin(pathAndQuery).path("data").forEach(r -> out.add(r.path("id").asLong()));
    return out;
  }
}
