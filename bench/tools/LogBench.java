import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.admin.stats.StatsResource;
import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.persistence.Database;
import io.tollgate.retention.HourlyRollup;
import io.tollgate.retention.LogPartitions;
import io.tollgate.retention.LogRetention;
import io.tollgate.usage.UsageQueries;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request log at scale (bench/logs.sh): loads ROWS rows spread over DAYS days into a migrated database with
 * generate_series, then times the rollup, the stats of 24 hours and of 30 days (StatsResource, the code behind
 * GET /admin/stats) and a retention run that drops the oldest days. Prints Markdown.
 *
 *   java -cp target/classes:DEPS bench/tools/LogBench.java JDBC_URL USER ROWS DAYS
 */
public final class LogBench {
  private static final int CHUNK = 500_000;
  private static final List<String> LINES = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long rows = Long.parseLong(args[2]);
    int days = Integer.parseInt(args[3]);
    Instant now = Instant.now();
    try (Database db = Database.open(new DbConfig(url, args[1], Secret.of(""), null, 4), Path.of("unused"))) {
      LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
      new LogPartitions(db.dataSource()).createAhead(today.minusDays(days), days + 4);
      long loadMs = timed(() -> load(db, rows, days, now));
      execute(db, "ANALYZE usage_log");
      line("| rows loaded | %,d over %d days (%,.0f rows/s) |", rows, days, rows * 1000.0 / Math.max(1, loadMs));
      long bytes = number(db, "SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits"
          + " WHERE inhparent = 'usage_log'::regclass");
      long heap = number(db, "SELECT SUM(pg_relation_size(inhrelid)) FROM pg_inherits"
          + " WHERE inhparent = 'usage_log'::regclass");
      line("| bytes per logged request | %.0f (table %.0f + indexes %.0f; %,.0f MB in all) |", bytes / (double) rows,
          heap / (double) rows, (bytes - heap) / (double) rows, bytes / 1e6);
      StatsResource stats = new StatsResource(new UsageQueries(db.dataSource(), now), Clock.systemUTC());
      String dayFrom = now.minus(Duration.ofHours(24)).toString();
      String monthFrom = now.minus(Duration.ofDays(days)).toString();
      line("| stats, last 24 h, raw rows only | %s |", best(() -> stats.stats(dayFrom, null, null)));
      line("| stats, last %d days, raw rows only | %s |", days, best(() -> stats.stats(monthFrom, null, null)));
      HourlyRollup rollup = new HourlyRollup(db.dataSource(), true);
      int[] hours = new int[1];
      long rollupMs = timed(() -> hours[0] = rollup.run(now, Integer.MAX_VALUE));
      line("| first rollup (%d hours) | %,d ms (%,d rows in usage_hourly) |", hours[0], rollupMs,
          number(db, "SELECT COUNT(*) FROM usage_hourly"));
      line("| a later rollup run (recomputes the last 2 hours) | %,d ms |", timed(() -> rollup.run(now)));
      line("| stats, last 24 h, with rollups | %s |", best(() -> stats.stats(dayFrom, null, null)));
      line("| stats, last %d days, with rollups | %s |", days, best(() -> stats.stats(monthFrom, null, null)));
      JsonNode month = stats.stats(monthFrom, null, null);
      line("| (30-day totals: %,d requests, p50 %s ms, p99 %s ms) | |", month.at("/totals/requests").asLong(),
          month.at("/totals/latency_ms/p50"), month.at("/totals/latency_ms/p99"));
      Instant cutoff = now.minus(Duration.ofDays(days - 3)).truncatedTo(ChronoUnit.DAYS);
      LogRetention.Outcome[] outcome = new LogRetention.Outcome[1];
      long retentionMs = timed(() -> outcome[0] = new LogRetention(db.dataSource(), true).run(cutoff));
      line("| retention run (keep %d days) | %,d ms: dropped %d partitions, deleted %,d rows |", days - 3,
          retentionMs, outcome[0].dropped().size(), outcome[0].deletedRows());
      line("| rows left | %,d |", number(db, "SELECT COUNT(*) FROM usage_log"));
    }
    LINES.forEach(System.out::println);
  }

  private static void load(Database db, long rows, int days, Instant now) throws Exception {
    double spanSeconds = days * 86_400.0;
    for (long first = 1; first <= rows; first += CHUNK) {
      long last = Math.min(rows, first + CHUNK - 1);
      // Deterministic spread: 8 models on 4 providers, 40 keys of 10 users, 3% 429, 1% 500, latency 50..~8000 ms.
      execute(db, String.format(Locale.ROOT, "INSERT INTO usage_log (ts, request_id, key_id, key_name, method,"
          + " path, model, provider, upstream_model, stream, status, latency_ms, ttfb_ms, prompt_tokens,"
          + " completion_tokens, attempts, user_id, cached_tokens, cost_usd, usage_source)"
          + " SELECT TIMESTAMPTZ '%s' - make_interval(secs => g * %f / %d), 'req_' || lpad(to_hex(g * 2654435761),"
          + " 24, '0'), g %% 40, 'key-' || (g %% 40), 'POST', '/v1/chat/completions', 'model-' || (g %% 8),"
          + " 'provider-' || (g %% 4), 'upstream-model-' || (g %% 8), g %% 3 = 0,"
          + " CASE WHEN g %% 100 < 3 THEN 429 WHEN g %% 100 = 3 THEN 500 ELSE 200 END,"
          + " 50 + (g * 7919) %% 997 * (1 + g %% 8), 20 + (g * 104729) %% 400, 100 + g %% 3000, 10 + g %% 500,"
          + " 1, g %% 10, (g %% 3000) / 2, (100 + g %% 3000) * 0.00000015 + (10 + g %% 500) * 0.0000006, 'upstream'"
          + " FROM generate_series(CAST(%d AS BIGINT), %d) AS g", now, spanSeconds, rows, first, last));
      System.err.printf("loaded %,d rows%n", last);
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  private static long timed(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * The fastest of three runs, and the first (cold); a first run over ten seconds is not repeated. Or why it
   * failed (the 30 s statement timeout, say).
   */
  private static String best(Work work) {
    try {
      return fastest(work);
    } catch (Exception e) {
      return "failed: " + e.getMessage().lines().findFirst().orElse("");
    }
  }

  private static String fastest(Work work) throws Exception {
    long first = timed(work);
    if (first > 10_000) {
      return String.format(Locale.ROOT, "%,d ms (one run)", first);
    }
    long best = first;
    for (int i = 0; i < 2; i++) {
      best = Math.min(best, timed(work));
    }
    return String.format(Locale.ROOT, "%,d ms (first run %,d ms)", best, first);
  }

  private static void execute(Database db, String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long number(Database db, String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void line(String format, Object... args) {
    LINES.add(String.format(Locale.ROOT, format, args));
  }
}
