package io.tollgate.admin.stats;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.config.Secret;
import io.tollgate.persistence.Database;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The migrated databases the stats query tests run on: the test's PostgreSQL database, or a fresh H2 in memory. */
final class StatsDatabases {
  private static final AtomicInteger H2_NAMES = new AtomicInteger();

  private StatsDatabases() {
  }

  static Database postgres(TestDatabase pg) {
    return Database.open(new DbConfig(pg.jdbcUrl(), pg.user(), Secret.of(pg.password()), null, 2),
        Path.of("unused"));
  }

  static Database h2() {
    String url = "jdbc:h2:mem:stats" + H2_NAMES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    return Database.open(new DbConfig(url, "sa", Secret.of(""), null, 2), Path.of("unused"));
  }
}
