package io.tollgate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The shared tier on the fixture's database: pruning removes expired rows in batches and keeps the fresh ones. */
class SharedTierPruneTest extends CacheFixture {

  @Test
  void pruningDeletesEveryExpiredRowAndNothingElse() throws Exception {
    PGSimpleDataSource data = new PGSimpleDataSource();
    data.setUrl(db.jdbcUrl());
    data.setUser(db.user());
    data.setPassword(db.password());
    ExecutorService workers = Executors.newSingleThreadExecutor();
    try (SharedTier tier = new SharedTier(data, workers, 100, Duration.ofHours(1))) {
      CachedAnswer answer = CachedAnswer.stream(new byte[][] {{'{', '}'}}, new String[] {"e"});
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        // more expired rows than one batch deletes, written straight to the table
        s.executeUpdate("INSERT INTO response_cache (hash, content_type, stream, body, expires_at)"
            + " SELECT 'old-' || g, 'text/event-stream', true, '\\x7b7d'::bytea, now() - interval '1 minute'"
            + " FROM generate_series(1, 1200) g");
      }
      tier.write("fresh-entry", null, answer, Instant.now().plus(Duration.ofHours(1)));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (count("hash = 'fresh-entry'") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      tier.prune();
      assertThat(count("hash LIKE 'old-%'")).isZero();
      assertThat(count("hash = 'fresh-entry'")).isEqualTo(1);
      assertThat(tier.read("fresh-entry").get().events()).isEqualTo(1);
    } finally {
      workers.shutdownNow();
    }
  }

  private static long count(String where) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM response_cache WHERE " + where)) {
      r.next();
      return r.getLong(1);
    }
  }
}
