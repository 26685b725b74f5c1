package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.LogRowInserts.Row;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zero-setup default, H2: the stats query (percentiles included), the series by the minute and day and the
 * log cursor run there too. Rows go in through the same in-process database the gateway opened under its
 * TOLLGATE_HOME.
 */
class StatsOnH2Test {
  private static final String KEY = "sk-tollgate-stats-on-h2-00001";
  private static final String ADMIN = "admin-key-for-h2-stats";
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = GatewayServer.startWithoutDatabase(Map.of("TOLLGATE_CONFIG", BootstrapFiles.echoWithClient("h2", KEY),
        "TOLLGATE_ADMIN_KEY", ADMIN, "LOG_RETENTION_DAYS", "0")); // it inserts rows from 2020
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void statsAndLogsWorkOnH2() throws Exception {
    Instant start = Instant.now();
    long prompt = 0;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = Http.post(server.baseUrl() + "/v1/chat/completions",
          "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}",
          "Authorization", bearer(KEY));
      assertThat(r.statusCode()).isEqualTo(200);
      prompt += Http.json(r).at("/usage/prompt_tokens").asLong();
    }
    awaitLogRows(start, 3);
    JsonNode live = admin("/admin/stats?from=" + start);
    assertThat(live.at("/totals/requests").asLong()).isEqualTo(3);
    assertThat(live.at("/totals/prompt_tokens").asLong()).isEqualTo(prompt);
    assertThat(live.at("/by_key/data/0/key_name").asText()).isEqualTo("h2");
    assertThat(live.at("/totals/latency_ms/p99").isNumber()).isTrue();

    Instant t = Instant.parse("2020-01-01T10:00:00Z");
    List<Long> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + server.home().toAbsolutePath().normalize()
        .resolve("tollgate") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "")) {
      ids.add(LogRowInserts.insert(c, Row.api(t, "m", 200, 100).tokens(10, 5, 4, 3).cost("0.25").key(5, "k")));
      ids.add(LogRowInserts.insert(c, Row.api(t, "m", 503, 300).tokens(10, 0, null, null).key(5, "k")));
      ids.add(LogRowInserts.insert(c, Row.api(t.plusSeconds(1), "n", 200, 200).cost("0.5")));
      LogRowInserts.insert(c, Row.api(t.plusSeconds(7200), "m", 200, 9999));
    }
    JsonNode old = admin("/admin/stats?group_by=model,status&from=2020-01-01T10:00:00Z&to=2020-01-01T11:00:00Z");
    JsonNode totals = old.path("totals");
    assertThat(AdminStatsTest.counts(totals)).containsExactly(3L, 2L, 1L);
    assertThat(totals.path("cached_tokens").asLong()).isEqualTo(4);
    assertThat(totals.path("cost_usd").decimalValue()).isEqualByComparingTo("0.75");
    assertThat(totals.at("/latency_ms/p50").asDouble()).isEqualTo(200.0);
    assertThat(totals.at("/latency_ms/p95").asDouble()).isEqualTo(290.0);
    JsonNode m = AdminStatsTest.groups(old.at("/by_model/data"), "model").get("m");
    assertThat(AdminStatsTest.counts(m)).containsExactly(2L, 1L, 1L);
    assertThat(m.at("/latency_ms/p50").asDouble()).isEqualTo(200.0);
    assertThat(AdminStatsTest.groups(old.at("/by_status/data"), "status").keySet()).containsExactly("200", "503");

    JsonNode minutes = admin("/admin/stats/series?step=auto&from=2020-01-01T10:00:00Z&to=2020-01-01T10:03:00Z");
    assertThat(minutes.path("step").asText()).isEqualTo("minute");
    assertThat(minutes.at("/data/0/points").findValuesAsText("requests")).containsExactly("3", "0", "0");
    JsonNode days = admin("/admin/stats/series?step=day&from=2019-12-31&to=2020-01-01");
    assertThat(days.at("/data/0/points").findValuesAsText("requests")).containsExactly("0", "4");

    List<Long> seen = new ArrayList<>();
    String query = "/admin/logs?limit=2&from=2020-01-01T10:00:00Z&to=2020-01-01T11:00:00Z";
    JsonNode page = admin(query);
    page.path("data").forEach(r -> seen.add(r.path("id").asLong()));
    page = admin(query + "&after=" + page.path("next").asText());
    page.path("data").forEach(r -> seen.add(r.path("id").asLong()));
    assertThat(page.path("has_more").asBoolean()).isFalse();
    assertThat(seen).containsExactly(ids.get(2), ids.get(1), ids.get(0));
  }

  private static JsonNode admin(String pathAndQuery) {
    HttpResponse<String> r = Http.get(server.baseUrl() + pathAndQuery, "Authorization", bearer(ADMIN));
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
    return Http.json(r);
  }

  /** The rows are written in batches after the responses; /admin/logs shows when they are there. */
  private static void awaitLogRows(Instant since, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (admin("/admin/logs?from=" + since).path("data").size() < count) {
      assertThat(System.nanoTime()).as("request-log rows written").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
