package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.LogRowInserts.Row;
import io.tollgate.testing.Http;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's Usage and Logs views: their modules are served as scripts under the strict CSP, no console script
 * builds markup or inline styles (which the CSP would refuse, or which would let data become HTML), and every
 * range, grouping and status filter the views offer is a query the admin API answers.
 */
class ConsoleViewsTest extends StatsFixture {
  private static final Path CONSOLE = Path.of("src/main/webapp/console");
  /** The Usage view's ranges (usage.js RANGES), in seconds. */
  private static final List<Long> RANGES = List.of(3600L, 6 * 3600L, 86400L, 7 * 86400L, 30 * 86400L);

  @Test
  void theViewsAndTheChartModuleAreServedAsScriptsToThePageUnderTheCsp() {
    HttpResponse<String> page = Http.get(server.baseUrl() + "/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'", "style-src 'self'");
    for (String path : List.of("js/views/usage.js", "js/views/logs.js", "js/chart.js")) {
      HttpResponse<String> r = Http.get(server.baseUrl() + "/console/" + path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/javascript");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      assertThat(r.body()).as(path).containsPattern("export (async )?function");
    }
  }

  @Test
  void noConsoleScriptBuildsMarkupOrInlineStyles() throws IOException {
    Pattern forbidden = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\("
        + "|new Function|setAttribute\\(\\s*['\"]style|\\.cssText|\\bstyle\\s*:|style=");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(CONSOLE)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".html")).toList()) {
        Matcher m = forbidden.matcher(Files.readString(file));
        while (m.find()) {
          found.add(file + ": " + m.group());
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void everyRangeAndGroupingOfTheUsageViewIsASeriesTheGatewayAnswers() {
    Instant now = Instant.now();
    insert(Row.api(now.minus(Duration.ofDays(29)), "old-model", 200, 120).tokens(5, 5, null, null));
    insert(Row.api(now.minusSeconds(600), "new-model", 502, 80));
    for (long seconds : RANGES) {
      String from = URLEncoder.encode(now.minusSeconds(seconds).toString(), StandardCharsets.UTF_8);
      JsonNode stats = admin("/admin/stats?from=" + from + "&group_by=model,key,provider");
      assertThat(stats.has("by_model") && stats.has("by_key") && stats.has("by_provider")).as(from).isTrue();
      for (String by : List.of("", "model", "key", "provider")) {
        JsonNode series = admin("/admin/stats/series?from=" + from + "&step=auto" + (by.isEmpty() ? ""
            : "&group_by=" + by));
        long requests = 0;
        for (JsonNode group : series.path("data")) {
          for (JsonNode p : group.path("points")) {
            assertThat(p.has("start") || p.has("hour")).as("a point's time").isTrue();
            requests += p.path("requests").asLong();
          }
        }
        assertThat(requests).as(seconds + " s by '" + by + "'").isEqualTo(seconds > 86400 * 28 ? 2 : 1);
      }
    }
  }

  @Test
  void everyStatusTheLogsViewOffersIsAFilterTheGatewayTakes() throws IOException {
    String logs = Files.readString(CONSOLE.resolve("js/views/logs.js"));
    Matcher m = Pattern.compile("\\['(\\d(?:\\d\\d|xx))'").matcher(logs);
    List<String> statuses = new ArrayList<>();
    while (m.find()) {
      statuses.add(m.group(1));
    }
    assertThat(statuses).contains("2xx", "4xx", "5xx", "429");
    for (String status : statuses) {
      assertThat(admin("/admin/logs?limit=1&status=" + status).path("object").asText()).isEqualTo("list");
    }
  }
}
