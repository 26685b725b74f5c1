package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.GatewayConfig.UsageConfig;
import io.tollgate.config.Secret;
import io.tollgate.openai.Json;
import io.tollgate.persistence.Database;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestLogWriterTest {
  private static final UsageConfig CONFIG = new UsageConfig(true, 10_000, Duration.ofMillis(50), 500);
  private static final String ACCESS = "tollgate.access";

  @Test
  void thousandEventsLandAsThousandRowsInAFewBatches() throws Exception {
    try (TestDatabase pg = TestDatabase.create(); Database db = Database.open(new DbConfig(pg.jdbcUrl(), pg.user(),
        Secret.of(pg.password()), null, 2), Path.of("unused"))) {
      CountingSink sink = new CountingSink(new JdbcUsageSink(db.dataSource()));
      try (RequestLogWriter writer = new RequestLogWriter(sink, CONFIG)) {
        for (int i = 0; i < 1000; i++) {
          assertThat(writer.submit(event(i), true)).isTrue();
        }
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(writer.written()).isEqualTo(1000);
        assertThat(writer.pending()).isZero();
      }
      assertThat(count(db, "SELECT count(*) FROM usage_log")).isEqualTo(1000);
      assertThat(count(db, "SELECT count(DISTINCT request_id) FROM usage_log")).isEqualTo(1000);
      assertThat(sink.calls.get()).isBetween(1, 20);
    }
  }

  @Test
  void rowsSubmittedWithinOneLingerAreOneBatchAfterOneWakeUp() throws Exception {
    CountingSink sink = new CountingSink(batch -> { });
    // The linger is long enough that every producer is done long before it ends, even on a busy machine.
    try (RequestLogWriter writer = new RequestLogWriter(sink, new UsageConfig(true, 1000, Duration.ofSeconds(1), 500));
        CapturedLogs logs = CapturedLogs.attach(ACCESS)) {
      awaitIdle(writer);
      runConcurrently(4, 50, (thread, i) -> assertThat(writer.submit(event("one-linger", thread * 50 + i), true))
          .isTrue());
      assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(sink.calls.get()).as("sink calls").isEqualTo(1);
      assertThat(sink.rows.get()).isEqualTo(200);
      assertThat(writer.wakeUps()).as("producers woke the writer once, not once per row").isEqualTo(1);
      assertThat(accessLines(logs, "one-linger")).hasSize(200);
    }
  }

  @Test
  void aFullBatchDoesNotWaitOutTheLinger() throws Exception {
    CountingSink sink = new CountingSink(batch -> { });
    UsageConfig config = new UsageConfig(true, 1000, Duration.ofSeconds(30), 50);
    try (RequestLogWriter writer = new RequestLogWriter(sink, config)) {
      awaitIdle(writer);
      for (int i = 0; i < 50; i++) {
        writer.submit(event(i), true);
      }
      assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(sink.calls.get()).isEqualTo(1);
      assertThat(writer.wakeUps()).as("one wake-up from idle, one for the full batch").isEqualTo(2);
    }
  }

  @Test
  void concurrentProducersLoseNoLineAndNoRow() throws Exception {
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    // No linger and odd batches: the writer goes idle between bursts all the time, where a lost wake-up would hide.
    try (RequestLogWriter writer = new RequestLogWriter(seen::addAll, new UsageConfig(true, 100_000, Duration.ZERO, 7));
        CapturedLogs logs = CapturedLogs.attach(ACCESS)) {
      runConcurrently(4, 2000, (thread, i) -> {
        assertThat(writer.submit(event("stress", thread * 2000 + i), i % 3 != 0)).isTrue();
        if (i % 100 == 0) {
          Thread.sleep(1);
        }
      });
      assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(seen).hasSize(4 * 1333);
      assertThat(writer.written()).isEqualTo(4 * 1333);
      assertThat(writer.dropped()).isZero();
      assertThat(accessLines(logs, "stress")).hasSize(8000);
    }
  }

  @Test
  void fullQueueDropsAndCountsWithoutBlocking() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    UsageSink blocking = batch -> {
      entered.countDown();
      release.await();
      seen.addAll(batch);
    };
    try (RequestLogWriter writer = new RequestLogWriter(blocking, new UsageConfig(true, 10, Duration.ZERO, 100))) {
      writer.submit(event(-1), true); // the writer takes this one and then blocks in the sink
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 50; i++) {
        accepted += writer.submit(event(i), true) ? 1 : 0;
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(accepted).isEqualTo(10);
      assertThat(writer.dropped()).isEqualTo(40);
      assertThat(writer.submit(event(99), false)).as("a line without a row").isFalse();
      assertThat(writer.dropped()).as("rows").isEqualTo(40);
      assertThat(writer.droppedLines()).as("lines").isEqualTo(41);
      assertThat(writer.pending()).isEqualTo(11);
      assertThat(elapsedMs).isLessThan(500);

      release.countDown();
      assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(seen).hasSize(11);
      assertThat(writer.written()).isEqualTo(11);
    }
  }

  @Test
  void failedWritesAreRetriedUntilEveryRowIsWritten() {
    AtomicInteger failuresLeft = new AtomicInteger(3);
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    UsageSink flaky = batch -> {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new SQLException("connection refused", "08001");
      }
      seen.addAll(batch);
    };
    List<UsageEvent> sent = new ArrayList<>();
    try (RequestLogWriter writer = new RequestLogWriter(flaky, CONFIG, Duration.ofMillis(10), Duration.ofMillis(40))) {
      for (int i = 0; i < 300; i++) {
        sent.add(event(i));
        writer.submit(sent.get(i), true);
      }
      assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(writer.failedWrites()).isEqualTo(3);
      assertThat(writer.written()).isEqualTo(300);
    }
    assertThat(seen).containsExactlyElementsOf(sent);
  }

  @Test
  void linesKeepComingWhileFailedRowsWaitForTheirRetry() throws Exception {
    AtomicBoolean databaseUp = new AtomicBoolean();
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    UsageSink sink = batch -> {
      if (!databaseUp.get()) {
        throw new SQLException("connection refused", "08001");
      }
      seen.addAll(batch);
    };
    UsageConfig config = new UsageConfig(true, 5, Duration.ofMillis(10), 100);
    try (RequestLogWriter writer = new RequestLogWriter(sink, config, Duration.ofMinutes(1), Duration.ofMinutes(1));
        CapturedLogs logs = CapturedLogs.attach(ACCESS)) {
      for (int i = 0; i < 5; i++) {
        writer.submit(event("outage", i), true);
      }
      awaitLines(logs, "outage", 5);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (writer.failedWrites() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(writer.failedWrites()).isEqualTo(1);
      for (int i = 5; i < 10; i++) {
        writer.submit(event("outage", i), true);
      }
      awaitLines(logs, "outage", 10); // the retry is a minute away
      assertThat(writer.dropped()).as("5 rows are held, as many as the queue's size").isEqualTo(5);
      assertThat(writer.pending()).isEqualTo(5);
      databaseUp.set(true);
    } // close() retries within 250 ms
    assertThat(seen).extracting(UsageEvent::requestId)
        .containsExactly("outage-0", "outage-1", "outage-2", "outage-3", "outage-4");
  }

  @Test
  void closeWritesWhatIsQueuedAndThenRefusesRows() {
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    RequestLogWriter writer = new RequestLogWriter(seen::addAll, new UsageConfig(true, 100, Duration.ofSeconds(5), 50));
    for (int i = 0; i < 20; i++) {
      writer.submit(event(i), true);
    }
    writer.close(); // does not sit out the 5 s linger
    assertThat(seen).hasSize(20);
    assertThat(writer.submit(event(99), true)).isFalse();
    assertThat(writer.dropped()).isEqualTo(1);
  }

  @Test
  void withoutUsageLoggingEveryRequestStillGetsItsAccessLine() throws Exception {
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    UsageConfig off = new UsageConfig(false, 10, Duration.ZERO, 10);
    try (RequestLogWriter writer = new RequestLogWriter(seen::addAll, off);
        CapturedLogs logs = CapturedLogs.attach(ACCESS)) {
      assertThat(writer.submit(event("off", 1), true)).isTrue();
      assertThat(writer.submit(event("off", 2), false)).isTrue();
      assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(writer.pending()).isZero();
      assertThat(writer.written()).isZero();
      assertThat(accessLines(logs, "off")).extracting(n -> n.path("request_id").asText())
          .containsExactly("off-1", "off-2");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void requestsThatAreNotRecordedGetALineButNoRow() throws Exception {
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    try (RequestLogWriter writer = new RequestLogWriter(seen::addAll, CONFIG);
        CapturedLogs logs = CapturedLogs.attach(ACCESS)) {
      writer.submit(event("admin", 1), false);
      writer.submit(event("api", 2), true);
      assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(seen).extracting(UsageEvent::requestId).containsExactly("api-2");
      assertThat(accessLines(logs, "admin")).hasSize(1);
      assertThat(accessLines(logs, "api")).hasSize(1);
    }
  }

  @Test
  void failureDescriptionLeavesOutTheBatchedValues() {
    java.sql.BatchUpdateException batch = new java.sql.BatchUpdateException(
        "Batch entry 0 INSERT INTO usage_log VALUES ('secret-path') was aborted", "22001", new int[0]);
    batch.setNextException(new SQLException("ERROR: value too long\n  Detail: secret-path", "22001"));
    assertThat(RowBatches.describe(batch)).isEqualTo("SQLException [22001]: ERROR: value too long");
  }

  static UsageEvent event(int i) {
    return event("req", i);
  }

  static UsageEvent event(String prefix, int i) {
    return new UsageEvent(Instant.now(), prefix + "-" + i, i % 2 == 0 ? 7L : null, "ci", "POST",
        "/v1/chat/completions", "chat", "main", "deepseek-chat", i % 3 == 0, 200, 12, i % 2 == 0 ? 5L : null, 10, 20,
        null);
  }

  private interface Producer {
    void submit(int thread, int i) throws Exception;
  }

  /** Runs {@code perThread} calls on each of {@code threads} threads, all let go at once. */
  private static void runConcurrently(int threads, int perThread, Producer producer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            producer.submit(thread, i);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A just-started writer parks almost at once; until then a first row would need no wake-up at all. */
  private static void awaitIdle(RequestLogWriter writer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!writer.idle() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(writer.idle()).as("the writer parked").isTrue();
  }

  private static List<JsonNode> accessLines(CapturedLogs logs, String prefix) {
    return logs.lines(ACCESS).stream().map(l -> json(l.message()))
        .filter(n -> n.path("request_id").asText().startsWith(prefix + "-")).toList();
  }

  private static void awaitLines(CapturedLogs logs, String prefix, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (accessLines(logs, prefix).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(accessLines(logs, prefix)).hasSize(count);
  }

  private static JsonNode json(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private static long count(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static final class CountingSink implements UsageSink {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger rows = new AtomicInteger();
    private final UsageSink delegate;

    CountingSink(UsageSink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(List<UsageEvent> batch) throws Exception {
      calls.incrementAndGet();
      rows.addAndGet(batch.size());
      delegate.write(batch);
    }
  }
}
