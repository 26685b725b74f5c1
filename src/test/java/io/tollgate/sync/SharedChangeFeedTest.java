package io.tollgate.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.persistence.Database;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two feeds on one database stand for two instances: what one records, the other reloads. */
class SharedChangeFeedTest {
  private static TestDatabase pg;
  private static Database db;

  @BeforeAll
  static void migrate() {
    pg = TestDatabase.create();
    db = Database.open(new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 4), Path.of("unused"));
  }

  @AfterAll
  static void drop() {
    db.close();
    pg.close();
  }

  @Test
  void aNotificationWakesTheOtherInstanceLongBeforeItsPoll() throws Exception {
    try (SharedChangeFeed here = new SharedChangeFeed(db.dataSource(), true, Duration.ofHours(1));
        SharedChangeFeed there = new SharedChangeFeed(db.dataSource(), true, Duration.ofHours(1))) {
      CountDownLatch reloaded = new CountDownLatch(1);
      there.onChange(ChangeFeed.Kind.KEYS, reloaded::countDown);
      Thread.sleep(300); // the other feed is listening by now
      here.changed(ChangeFeed.Kind.KEYS);
      assertThat(reloaded.await(5, TimeUnit.SECONDS)).as("reloaded by NOTIFY, with an hour's poll").isTrue();
    }
  }

  @Test
  void withoutNotificationsThePollFindsTheChange() throws Exception {
    try (SharedChangeFeed here = new SharedChangeFeed(db.dataSource(), false, Duration.ofHours(1));
        SharedChangeFeed there = new SharedChangeFeed(db.dataSource(), false, Duration.ofMillis(200))) {
      CountDownLatch reloaded = new CountDownLatch(1);
      there.onChange(ChangeFeed.Kind.MODELS, reloaded::countDown);
      here.changed(ChangeFeed.Kind.MODELS);
      assertThat(reloaded.await(5, TimeUnit.SECONDS)).as("reloaded by the poll alone").isTrue();
    }
  }

  @Test
  void theInstanceThatChangedReloadsAtOnceAndNotAgainFromItsOwnRecord() throws Exception {
    try (SharedChangeFeed here = new SharedChangeFeed(db.dataSource(), true, Duration.ofMillis(100))) {
      AtomicInteger reloads = new AtomicInteger();
      here.onChange(ChangeFeed.Kind.PRICES, reloads::incrementAndGet);
      here.changed(ChangeFeed.Kind.PRICES);
      assertThat(reloads).hasValue(1);
      Thread.sleep(600);
      assertThat(reloads).as("its own version bump is already seen").hasValue(1);
    }
  }

  @Test
  void closingDoesNotWaitForThePollInterval() {
    SharedChangeFeed feed = new SharedChangeFeed(db.dataSource(), true, Duration.ofHours(1));
    long start = System.nanoTime();
    feed.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }
}
