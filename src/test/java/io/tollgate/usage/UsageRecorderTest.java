package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.GatewayConfig.UsageConfig;
import io.tollgate.config.Secret;
import io.tollgate.persistence.Database;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {
  private static final UsageConfig CONFIG = new UsageConfig(true, 10_000, Duration.ofMillis(50), 500);

  @Test
  void thousandEventsLandAsThousandRowsInAFewBatches() throws Exception {
    try (TestDatabase pg = TestDatabase.create(); Database db = Database.open(new DbConfig(pg.jdbcUrl(), pg.user(),
        Secret.of(pg.password()), null, 2), Path.of("unused"))) {
      CountingSink sink = new CountingSink(new JdbcUsageSink(db.dataSource()));
      try (UsageRecorder recorder = new UsageRecorder(sink, CONFIG)) {
        for (int i = 0; i < 1000; i++) {
          assertThat(recorder.record(event(i))).isTrue();
        }
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(recorder.written()).isEqualTo(1000);
        assertThat(recorder.pending()).isZero();
      }
      assertThat(count(db, "SELECT count(*) FROM usage_log")).isEqualTo(1000);
      assertThat(count(db, "SELECT count(DISTINCT request_id) FROM usage_log")).isEqualTo(1000);
      assertThat(sink.calls.get()).isBetween(1, 20);
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
    try (UsageRecorder recorder = new UsageRecorder(blocking, new UsageConfig(true, 10, Duration.ZERO, 100))) {
      recorder.record(event(-1)); // the writer takes this one and then blocks in the sink
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 50; i++) {
        accepted += recorder.record(event(i)) ? 1 : 0;
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(accepted).isEqualTo(10);
      assertThat(recorder.dropped()).isEqualTo(40);
      assertThat(recorder.pending()).isEqualTo(11);
      assertThat(elapsedMs).isLessThan(500);

      release.countDown();
      assertThat(recorder.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(seen).hasSize(11);
      assertThat(recorder.written()).isEqualTo(11);
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
    try (UsageRecorder recorder = new UsageRecorder(flaky, CONFIG, Duration.ofMillis(10), Duration.ofMillis(40))) {
      for (int i = 0; i < 300; i++) {
        sent.add(event(i));
        recorder.record(sent.get(i));
      }
      assertThat(recorder.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(recorder.failedWrites()).isEqualTo(3);
      assertThat(recorder.written()).isEqualTo(300);
    }
    assertThat(seen).containsExactlyElementsOf(sent);
  }

  @Test
  void closeWritesWhatIsQueuedAndThenRefusesRows() {
    List<UsageEvent> seen = Collections.synchronizedList(new ArrayList<>());
    UsageRecorder recorder = new UsageRecorder(seen::addAll, new UsageConfig(true, 100, Duration.ofSeconds(5), 50));
    for (int i = 0; i < 20; i++) {
      recorder.record(event(i));
    }
    recorder.close(); // does not sit out the 5 s linger
    assertThat(seen).hasSize(20);
    assertThat(recorder.record(event(99))).isFalse();
    assertThat(recorder.dropped()).isEqualTo(1);
  }

  @Test
  void disabledRecorderAcceptsAndIgnores() {
    List<UsageEvent> seen = new ArrayList<>();
    try (UsageRecorder recorder = new UsageRecorder(seen::addAll, new UsageConfig(false, 10, Duration.ZERO, 10))) {
      assertThat(recorder.record(event(1))).isTrue();
      assertThat(recorder.flush(Duration.ofMillis(10))).isTrue();
      assertThat(recorder.pending()).isZero();
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void failureDescriptionLeavesOutTheBatchedValues() {
    java.sql.BatchUpdateException batch = new java.sql.BatchUpdateException(
        "Batch entry 0 INSERT INTO usage_log VALUES ('secret-path') was aborted", "22001", new int[0]);
    batch.setNextException(new SQLException("ERROR: value too long\n  Detail: secret-path", "22001"));
    assertThat(UsageRecorder.describe(batch)).isEqualTo("SQLException [22001]: ERROR: value too long");
  }

  static UsageEvent event(int i) {
    return new UsageEvent(Instant.now(), "req-" + i, i % 2 == 0 ? 7L : null, "ci", "POST", "/v1/chat/completions",
        "chat", "main", "deepseek-chat", i % 3 == 0, 200, 12, i % 2 == 0 ? 5L : null, 10, 20, null);
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
    private final UsageSink delegate;

    CountingSink(UsageSink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(List<UsageEvent> batch) throws Exception {
      calls.incrementAndGet();
      delegate.write(batch);
    }
  }
}
