package io.tollgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyPolicy;
import io.tollgate.auth.KeyPolicy.Quota;
import io.tollgate.auth.KeyPolicy.RateLimits;
import io.tollgate.cost.PriceTable;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.usage.UsageEvent;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate on H2 (the zero-setup database, whose SQL differs from PostgreSQL's), with a clock the test moves:
 * two gates on one database share a limit, windows roll, a stop hands slices back, and a database that cannot be
 * reached lets rate limits through and stops quotas.
 */
class LimitGateTest {
  private static final AtomicLong DB_NAMES = new AtomicLong();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicLong clock = new AtomicLong(1_800_000_000L);
  private final PriceTable prices = new PriceTable(List.of());
  private JdbcDataSource h2;

  @BeforeEach
  void createTable() throws SQLException {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:limits" + DB_NAMES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE limit_counters (key_id BIGINT NOT NULL, scope CHARACTER VARYING(200) NOT NULL,"
          + " metric CHARACTER VARYING(16) NOT NULL, window_start BIGINT NOT NULL, used BIGINT NOT NULL,"
          + " PRIMARY KEY (key_id, scope, metric, window_start))");
    }
  }

  @AfterEach
  void stop() throws SQLException {
    executor.shutdownNow();
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }

  private LimitGate gate(DataSource ds) {
    return new LimitGate(new SharedCounters(ds, "h2"), executor, prices, clock::get);
  }

  private static Caller caller(long id, RateLimits limits, Quota quota) {
    return new Caller(id, "k" + id, "sk-k", new KeyPolicy(null, List.of(), List.of(), null, limits, Map.of(),
        quota, null));
  }

  @Test
  void twoGatesOnOneDatabaseTogetherAdmitExactlyTheLimit() {
    LimitGate a = gate(h2);
    LimitGate b = gate(h2);
    Caller key = caller(1, new RateLimits(50, null, null), Quota.NONE);
    int admitted = 0;
    for (int i = 0; i < 120; i++) {
      try {
        (i % 3 == 0 ? a : b).admit(key, "m", Demand.REQUEST_ONLY);
        admitted++;
      } catch (GatewayException e) {
        assertThat(e.type()).isEqualTo(ErrorType.LIMIT_EXCEEDED);
      }
    }
    assertThat(admitted).isEqualTo(50);
  }

  @Test
  void sixteenThreadsOnTwoGatesTakeFromTheSlicesWithoutLockAndTogetherAdmitExactlyTheLimit() throws Exception {
    LimitGate a = gate(h2);
    LimitGate b = gate(h2);
    Caller key = caller(9, new RateLimits(5_000, null, null), Quota.NONE);
    ExecutorService threads = Executors.newFixedThreadPool(16);
    AtomicLong admitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    java.util.List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
    for (int t = 0; t < 16; t++) {
      LimitGate gate = t % 2 == 0 ? a : b;
      runs.add(threads.submit(() -> {
        for (int i = 0; i < 500; i++) {
          try {
            gate.admit(key, "m", Demand.REQUEST_ONLY);
            admitted.incrementAndGet();
          } catch (GatewayException e) {
            assertThat(e.type()).isEqualTo(ErrorType.LIMIT_EXCEEDED);
            refused.incrementAndGet();
          }
        }
      }));
    }
    for (java.util.concurrent.Future<?> run : runs) {
      run.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertThat(admitted.get()).isEqualTo(5_000);
    assertThat(refused.get()).isEqualTo(3_000);
  }

  @Test
  void aNewWindowStartsAfreshAndTheOldSliceExpiresWithIts() {
    LimitGate gate = gate(h2);
    Caller key = caller(2, new RateLimits(3, null, null), Quota.NONE);
    for (int i = 0; i < 3; i++) {
      gate.admit(key, "m", Demand.REQUEST_ONLY);
    }
    assertThatThrownBy(() -> gate.admit(key, "m", Demand.REQUEST_ONLY)).isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).headers()).containsKey("Retry-After"));
    clock.addAndGet(60);
    Admission next = gate.admit(key, "m", Demand.REQUEST_ONLY);
    assertThat(next.headers()).containsEntry("x-ratelimit-remaining-requests", "2");
  }

  @Test
  void settlingReturnsTheOverEstimateAndAStopHandsTheUnusedSliceBack() throws SQLException {
    LimitGate gate = gate(h2);
    Caller key = caller(3, RateLimits.NONE, new Quota(1000L, null, null));
    Admission admission = gate.admit(key, "m", new Demand(30, 30, true));
    assertThat(used(3, "tokens")).as("a slice (a tenth of the quota) bigger than the request")
        .isGreaterThanOrEqualTo(100);
    admission.settle(event(200, 30, 10));
    gate.close();
    assertThat(used(3, "tokens")).as("only the real usage stays counted").isEqualTo(40);
  }

  @Test
  void anUnreachableDatabaseLetsRateLimitsThroughAndStopsQuotas() {
    LimitGate gate = gate(new Unreachable());
    Admission rate = gate.admit(caller(4, new RateLimits(5, 10, 1000), Quota.NONE), "m", new Demand(1, 1, true));
    assertThat(rate).isNotNull();
    assertThatThrownBy(() -> gate.admit(caller(5, RateLimits.NONE, new Quota(100L, null, "day")), "m",
        new Demand(1, 1, true)))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.SERVICE_UNAVAILABLE));
  }

  @Test
  void resetsAreWrittenAsOpenAiWritesThem() {
    assertThat(RateHeaders.duration(1)).isEqualTo("1s");
    assertThat(RateHeaders.duration(360)).isEqualTo("6m0s");
    assertThat(RateHeaders.duration(3600)).isEqualTo("1h0m0s");
  }

  private long used(long keyId, String metric) throws SQLException {
    try (Connection c = h2.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT sum(used) FROM limit_counters WHERE key_id = " + keyId
            + " AND metric = '" + metric + "'")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static UsageEvent event(int status, int prompt, int completion) {
    return new UsageEvent(Instant.now(), "req", 3L, "k", "POST", "/v1/chat/completions", "m", "p", "m", false,
        status, 1, 1L, prompt, completion, null);
  }

  /** A database that is down: every connection attempt fails. */
  private static final class Unreachable implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      throw new SQLException("connection refused", "08001");
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
