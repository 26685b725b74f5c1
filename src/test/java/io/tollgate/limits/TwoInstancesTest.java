package io.tollgate.limits;

import static io.tollgate.limits.LimitsFixture.chat;
import static io.tollgate.limits.LimitsFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayProcess;
import io.tollgate.testing.LimitedKeys;
import io.tollgate.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways in separate JVMs on one database, sharing nothing else: together they let exactly as much through
 * as one key's limit or quota allows, whichever instance each request reaches.
 */
class TwoInstancesTest {
  private static final Duration START = Duration.ofSeconds(90);
  private static TestDatabase db;
  private static FakeUpstream upstream;
  private static GatewayProcess first;
  private static GatewayProcess second;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    upstream = FakeUpstream.start();
    Map<String, String> settings = LimitsFixture.settings(upstream, db);
    try {
      first = GatewayProcess.start(settings, START);
      second = GatewayProcess.start(settings, START);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (second != null) {
        second.close();
      }
      if (first != null) {
        first.close();
      }
    } finally {
      upstream.close();
      db.close();
    }
  }

  @Test
  void requestsToBothInstancesTogetherStopAtTheLimit() throws Exception {
    LimitedKeys.Key key = LimitedKeys.create(db, "{\"rph\":60}");
    LimitedKeys.awaitWindowRoom(3600, Duration.ofSeconds(90));
    int before = upstream.requestCount();
    AtomicIntegerArray admitted = fire(key, chat("gpt-test", 5), 160);
    int total = admitted.get(0) + admitted.get(1);
    System.out.printf("two instances admitted %d + %d of a limit of 60%n", admitted.get(0), admitted.get(1));
    assertThat(total).isLessThanOrEqualTo(60).isGreaterThanOrEqualTo(57);
    assertThat(admitted.get(0)).as("both instances served some").isPositive();
    assertThat(admitted.get(1)).isPositive();
    assertThat(upstream.requestCount() - before).isEqualTo(total);
  }

  @Test
  void aTokenQuotaIsNotOverspentByBothInstancesAtOnce() throws Exception {
    LimitedKeys.Key key = LimitedKeys.create(db, "{}", 400L, null, null);
    String body = chat("gpt-test", 5);
    long estimate = LimitsFixture.estimate(body, 5);
    AtomicIntegerArray admitted = fire(key, body, 80);
    int total = admitted.get(0) + admitted.get(1);
    System.out.printf("two instances admitted %d + %d requests of 10 tokens on a quota of 400%n",
        admitted.get(0), admitted.get(1));
    // Every answer used 10 tokens: never more than the quota. Near its end, estimates of requests still in flight
    // (eight at a time) and a few units left in the other instance's slice turn some requests away.
    assertThat(total * 10L).isLessThanOrEqualTo(400);
    assertThat(total).isGreaterThanOrEqualTo((int) ((400 - 4 * estimate) / 10));
  }

  /** Sends {@code count} requests, alternating between the instances, eight at a time; 200s per instance. */
  private static AtomicIntegerArray fire(LimitedKeys.Key key, String body, int count) throws Exception {
    AtomicIntegerArray admitted = new AtomicIntegerArray(2);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int instance = i % 2;
        String base = instance == 0 ? first.baseUrl() : second.baseUrl();
        all.add(pool.submit(() -> {
          int status = post(base, "/v1/chat/completions", key.secret(), body).statusCode();
          assertThat(status).isIn(200, 429);
          if (status == 200) {
            admitted.incrementAndGet(instance);
          }
        }));
      }
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return admitted;
  }
}
