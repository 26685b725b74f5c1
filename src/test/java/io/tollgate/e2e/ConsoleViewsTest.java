package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.LogRowInserts.Row;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's Usage and Logs views ask only what the admin API answers: every range, grouping and status filter
 * they offer is a query it takes. (How their files are served, and what their sources may not do: ConsolePageTest.)
 */
class ConsoleViewsTest extends StatsFixture {
  private static final Path CONSOLE = Path.of("src/main/webapp/console");
  /** The Usage view's ranges (usage.js RANGES), in seconds. */
  private static final List<Long> RANGES = List.of(3600L, 6 * 3600L, 86400L, 7 * 86400L, 30 * 86400L);

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
