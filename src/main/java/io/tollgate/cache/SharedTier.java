package io.tollgate.cache;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache's tier in the database, shared by every instance. The request path never waits on it for a
 * hash it has no reason to look for: this instance keeps the hashes known to be stored (its own writes, and what a
 * poll finds other instances wrote), and reads a row only for one of those, on the workers. Writes go through a small
 * bounded queue on their own thread; when it is full the answer is simply not shared, and counted.
 */
final class SharedTier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedTier.class);
  private static final int PRUNE_BATCH = 500;
  /** Rows are polled by the database's created_at; this overlap catches those whose insert committed late. */
  private static final Duration OVERLAP = Duration.ofSeconds(10);

  private final DataSource data;
  private final Executor workers;
  private final Map<String, Instant> known = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor writer;
  private final AtomicLong dropped = new AtomicLong();
  private volatile Instant polledUpTo = Instant.EPOCH;

  SharedTier(DataSource data, Executor workers) {
    this.data = data;
    this.workers = workers;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "tollgate-cache-writer");
      t.setDaemon(true);
      return t;
    }, (task, pool) -> dropped.incrementAndGet());
  }

  /** Whether a row for this hash is believed to exist and be fresh. */
  boolean knows(String hash) {
    Instant expires = known.get(hash);
    return expires != null && expires.isAfter(Instant.now());
  }

  /** The stored answer, read on the workers; null when it is gone or unreadable. */
  CompletableFuture<CachedAnswer> read(String hash) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = data.getConnection();
          PreparedStatement s = c.prepareStatement(
              "SELECT body FROM response_cache WHERE hash = ? AND expires_at > ?")) {
        s.setString(1, hash);
        s.setTimestamp(2, Timestamp.from(Instant.now()));
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            return CachedAnswer.decode(r.getBytes(1));
          }
          known.remove(hash);
          return null;
        }
      } catch (SQLException | IOException e) {
        LOG.warn("response cache: reading a shared entry failed: {}", e.toString());
        return null;
      }
    }, workers);
  }

  /** Stores the answer off the request path; a row another instance wrote first is kept. */
  void write(String hash, Long owner, CachedAnswer answer, Instant expires) {
    known.put(hash, expires);
    writer.execute(() -> insert(hash, owner, answer, expires));
  }

  private void insert(String hash, Long owner, CachedAnswer answer, Instant expires) {
    try (Connection c = data.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO response_cache (hash, owner_key_id, content_type,"
            + " stream, body, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, hash);
      s.setObject(2, owner);
      s.setString(3, answer.contentType());
      s.setBoolean(4, answer.isStream());
      s.setBytes(5, answer.encode());
      s.setTimestamp(6, Timestamp.from(expires));
      s.executeUpdate();
    } catch (SQLException e) {
      if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
        known.remove(hash);
        LOG.warn("response cache: storing a shared entry failed: {}", e.toString());
      }
    }
  }

  /** Learns the hashes other instances stored since the last poll, and forgets expired ones. */
  void poll() {
    Instant now = Instant.now();
    known.values().removeIf(expires -> !expires.isAfter(now));
    try (Connection c = data.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT hash, expires_at, created_at FROM response_cache"
            + " WHERE created_at > ? AND expires_at > ?")) {
      s.setTimestamp(1, Timestamp.from(polledUpTo.minus(OVERLAP)));
      s.setTimestamp(2, Timestamp.from(now));
      Instant newest = polledUpTo;
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          known.put(r.getString(1), r.getTimestamp(2).toInstant());
          Instant created = r.getTimestamp(3).toInstant();
          newest = created.isAfter(newest) ? created : newest;
        }
      }
      polledUpTo = newest;
    } catch (SQLException e) {
      LOG.warn("response cache: polling the shared tier failed: {}", e.toString());
    }
  }

  /** Deletes expired rows, a batch per statement, until none is left. */
  void prune() {
    String sql = "DELETE FROM response_cache WHERE hash IN (SELECT hash FROM response_cache WHERE expires_at < ?"
        + " LIMIT " + PRUNE_BATCH + ")";
    try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      int deleted;
      do {
        s.setTimestamp(1, Timestamp.from(Instant.now()));
        deleted = s.executeUpdate();
      } while (deleted > 0);
    } catch (SQLException e) {
      LOG.warn("response cache: pruning failed: {}", e.toString());
    }
  }

  /** Deletes every row (the admin's purge). */
  void clear() {
    known.clear();
    try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement("DELETE FROM response_cache")) {
      s.executeUpdate();
    } catch (SQLException e) {
      LOG.warn("response cache: purging failed: {}", e.toString());
    }
  }

  /** Answers not shared because the write queue was full. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    writer.shutdown();
  }
}
