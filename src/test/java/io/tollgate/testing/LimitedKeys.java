package io.tollgate.testing;

import io.tollgate.auth.KeyHashing;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client keys with limits and quotas, written straight into client_keys (as the admin API would store them), for
 * tests of what the gateway does with them. Ids start far above what the key sequence hands out.
 */
public final class LimitedKeys {
  private static final AtomicLong NEXT_ID = new AtomicLong(900_000 + (System.nanoTime() & 0xffff) * 16);

  /** A key's id and its secret. */
  public record Key(long id, String secret) {
  }

  private LimitedKeys() {
  }

  public static Key create(TestDatabase db, String limitsJson) {
    return create(db, limitsJson, null, null, null);
  }

  public static Key create(TestDatabase db, String limitsJson, Long tokenQuota, BigDecimal budgetUsd,
      String quotaPeriod) {
    long id = NEXT_ID.incrementAndGet();
    String secret = "sk-limits-" + id + "-" + Long.toHexString(System.nanoTime());
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO client_keys (id, name,"
        + " key_hash, key_prefix, source, created_at, limits, token_quota, budget_usd, quota_period)"
        + " VALUES (?, ?, ?, ?, 'admin', now(), ?, ?, ?, ?)")) {
      s.setLong(1, id);
      s.setString(2, "limited-" + id);
      s.setString(3, KeyHashing.sha256Hex(secret));
      s.setString(4, KeyHashing.displayPrefix(secret));
      s.setString(5, limitsJson);
      if (tokenQuota == null) {
        s.setNull(6, Types.BIGINT);
      } else {
        s.setLong(6, tokenQuota);
      }
      s.setBigDecimal(7, budgetUsd);
      s.setString(8, quotaPeriod);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new Key(id, secret);
  }

  /** A price for a model, as the price table would hold it (US dollars per million tokens). */
  public static void price(TestDatabase db, String model, BigDecimal input, BigDecimal output) {
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO prices (model,"
        + " input_per_mtok, output_per_mtok, source, updated_at) VALUES (?, ?, ?, 'admin', now())")) {
      s.setString(1, model);
      s.setBigDecimal(2, input);
      s.setBigDecimal(3, output);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits, if need be, until the current fixed window of this length (60 for a minute, 3600 for an hour) has at
   * least {@code needed} left, so a test at a limit's edge is not split by a window ending.
   */
  public static void awaitWindowRoom(long windowSeconds, Duration needed) {
    long now = Instant.now().getEpochSecond();
    long left = windowSeconds - Math.floorMod(now, windowSeconds);
    if (left < needed.toSeconds()) {
      try {
        Thread.sleep((left + 1) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
