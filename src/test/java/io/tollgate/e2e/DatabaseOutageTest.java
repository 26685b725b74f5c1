package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.e2e.OutageTraffic.Phase;
import io.tollgate.e2e.OutageTraffic.Sent;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.DatabaseProxy;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.LimitedKeys;
import io.tollgate.testing.PrometheusText;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL stops while traffic flows: a proxy in front of the shared server is cut for this gateway alone, by
 * refusing (the port closes, connections reset) or by hanging (connections stay open, nothing moves). Keys the
 * gateway already knows keep being served, past their cache's time to live; unknown keys get a 503 in their
 * dialect; no request waits on the database; and once it is back, every request has its row.
 */
class DatabaseOutageTest {
  /** Far below any hang, far above a request that never touches the database. */
  private static final long MAX_MILLIS = 5000;
  private static final Duration OUTAGE = Duration.ofSeconds(4); // four times KEY_CACHE_TTL: every entry expires

  enum Cut {
    REFUSE(DatabaseProxy::refuse), HANG(DatabaseProxy::hang);

    final Consumer<DatabaseProxy> apply;

    Cut(Consumer<DatabaseProxy> apply) {
      this.apply = apply;
    }
  }

  private FakeUpstream upstream;
  private TestDatabase db;
  private DatabaseProxy proxy;
  private GatewayServer server;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    db = TestDatabase.create();
    proxy = DatabaseProxy.start();
  }

  @AfterEach
  void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      proxy.close();
      db.close();
      upstream.close();
    }
  }

  private void startGateway(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("TOLLGATE_CONFIG", config(upstream));
    settings.put("RETRY_TIMES", "0");
    settings.put("KEY_CACHE_TTL", "1");
    settings.put("TOLLGATE_DB_URL", proxy.jdbcUrl(db.jdbcUrl()));
    settings.putAll(extra);
    server = GatewayServer.startOn(db, settings);
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void knownKeysKeepBeingServedUnknownKeysGet503AndEveryRowIsWrittenOnceTheDatabaseIsBack(Cut cut)
      throws Exception {
    startGateway(Map.of());
    String plain = LimitedKeys.create(db, "{}").secret();
    // A rate limit small enough that its slices run out during the outage: the counter must fail open, in time.
    String limited = LimitedKeys.create(db, "{\"rpm\":100000,\"rph\":600}").secret();
    OutageTraffic traffic = OutageTraffic.start(server.baseUrl(), List.of(plain, limited), 3, "dbout-" + cut);
    try {
      traffic.awaitAnswered(Phase.BEFORE, 30, Duration.ofSeconds(20));
      cut.apply.accept(proxy);
      traffic.phase(Phase.OUTAGE);
      long outageStart = System.nanoTime();
      List<HttpResponse<String>> unknown = new ArrayList<>();
      List<Long> unknownMillis = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        unknown.add(chat("/v1/chat/completions", "sk-never-seen-" + cut + i, OutageTraffic.chat("gpt-test")));
        unknownMillis.add((System.nanoTime() - t0) / 1_000_000);
        t0 = System.nanoTime();
        unknown.add(chat("/v1/messages", "sk-never-seen-msg-" + cut + i, OutageTraffic.chat("gpt-test")));
        unknownMillis.add((System.nanoTime() - t0) / 1_000_000);
      }
      long t0 = System.nanoTime();
      HttpResponse<String> health = Http.get(server.baseUrl() + "/health");
      long healthMillis = (System.nanoTime() - t0) / 1_000_000;
      Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - outageStart) / 1_000_000));
      proxy.forward();
      traffic.phase(Phase.AFTER);
      traffic.awaitAnswered(Phase.AFTER, 30, Duration.ofSeconds(30));
      List<Sent> sent = traffic.stop();

      List<Sent> during = sent.stream().filter(s -> s.phase() == Phase.OUTAGE).toList();
      Map<Integer, Long> statuses = sent.stream().collect(Collectors.groupingBy(Sent::status,
          Collectors.counting()));
      long maxDuring = during.stream().mapToLong(Sent::millis).max().orElse(0);
      System.out.printf("%s: %d requests (%d during the outage), statuses %s, max latency during the outage %d ms,"
          + " unknown keys answered in %s ms%n", cut, sent.size(), during.size(), statuses, maxDuring, unknownMillis);

      during.stream().sorted(java.util.Comparator.comparingLong(Sent::millis).reversed()).limit(5)
          .forEach(s -> System.out.printf("  slow: %s %s %d ms%n", s.requestId(), s.key().equals(plain) ? "plain"
              : "limited", s.millis()));
      assertThat(during).as("requests served during the outage").hasSizeGreaterThan(20);
      assertThat(sent).as("every request with a known key").allSatisfy(s ->
          assertThat(s.status()).as(s.requestId() + " " + s.body()).isEqualTo(200));
      assertThat(maxDuring).as("the slowest request during the outage, ms").isLessThan(MAX_MILLIS);
      assertThat(health.statusCode()).as("readiness during the outage: " + health.body()).isEqualTo(503);
      assertThat(Http.json(health).at("/database/status").asText()).isEqualTo("down");
      assertThat(healthMillis).as("/health answered within, ms").isLessThan(MAX_MILLIS);
      for (int i = 0; i < unknown.size(); i++) {
        HttpResponse<String> r = unknown.get(i);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(unknownMillis.get(i)).as("unknown key answered within, ms").isLessThan(MAX_MILLIS);
        JsonNode body = Http.json(r);
        if (i % 2 == 0) {
          assertThat(body.at("/error/code").asText()).isEqualTo("service_unavailable");
          assertThat(body.at("/error/message").asText()).isNotEmpty();
        } else {
          assertThat(body.path("type").asText()).isEqualTo("error");
          assertThat(body.at("/error/type").asText()).isNotEmpty();
          assertThat(body.at("/error/message").asText()).isNotEmpty();
        }
      }

      List<String> ids = sent.stream().map(Sent::requestId).toList();
      assertThat(new RequestLogRows(db).missing(ids, Duration.ofSeconds(60))).as("requests without a row").isEmpty();
      long rows = count("select count(*) from usage_log where request_id like 'dbout-%'");
      System.out.printf("%s: %d rows for %d requests%n", cut, rows, sent.size());
      assertThat(rows).as("rows of the traffic's requests, none twice").isEqualTo(sent.size());
    } finally {
      traffic.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void pastTheQueueBoundDropsAreCountedAndReportedAndRowsPlusDropsMatchTheRequests(Cut cut) throws Exception {
    startGateway(Map.of("USAGE_QUEUE_SIZE", "20", "USAGE_BATCH_SIZE", "10"));
    String key = LimitedKeys.create(db, "{}").secret();
    assertThat(chat("/v1/chat/completions", key, OutageTraffic.chat("gpt-test")).statusCode()).isEqualTo(200);
    try (CapturedLogs logs = CapturedLogs.attach("io.tollgate")) {
      cut.apply.accept(proxy);
      int requests = 100;
      for (int i = 0; i < requests; i++) {
        HttpResponse<String> r = chat("/v1/chat/completions", key, OutageTraffic.chat("gpt-test"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      JsonNode during = requestLog();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (during.path("dropped").asLong() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50); // the writer drops rows beyond the bound it holds as it takes them
        during = requestLog();
      }
      assertThat(during.path("dropped").asLong()).as("rows dropped past the bound of 20, " + during).isPositive();
      proxy.forward();
      JsonNode log = during;
      deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (log.path("pending").asLong() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        log = requestLog();
      }
      assertThat(log.path("pending").asLong()).as("rows still waiting, " + log).isZero();
      long dropped = log.path("dropped").asLong();
      double metric = PrometheusText.scrape(server.baseUrl()).value("tollgate_request_log_dropped_total");
      assertThat((long) metric).isEqualTo(dropped);
      long rows = count("select count(*) from usage_log");
      System.out.printf("%s, queue bound 20: %d requests, %d rows written, %d dropped (during: %s)%n", cut,
          requests + 1, rows, dropped, during);
      assertThat(rows + dropped).as("rows written plus rows dropped").isEqualTo(requests + 1);
      assertThat(logs.lines()).as("a warning names the drops").anySatisfy(l -> {
        assertThat(l.level()).isEqualTo("WARN");
        assertThat(l.message()).contains("dropped");
      });
    }
  }

  private JsonNode requestLog() {
    return Http.json(Http.get(server.baseUrl() + "/healthz")).path("request_log");
  }

  private HttpResponse<String> chat(String path, String key, String body) {
    return Http.post(server.baseUrl() + path, body, "Authorization", Http.bearer(key));
  }

  private long count(String sql) throws Exception {
    try (var c = db.connect(); var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String config(FakeUpstream upstream) {
    return BootstrapFiles.oneModel(upstream.baseUrl());
  }
}
