package io.tollgate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollgate.persistence.OutageWatch;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache's tier in PostgreSQL, shared by every instance. The request path never waits on it for a hash
 * it has no reason to look for: this instance keeps (bounded) the hashes known to be stored, its own writes and what
 * a poll finds other instances wrote, and reads a row only for one of those, on the workers. Writes queue (bounded)
 * for one thread that inserts them in batches; when the queue is full an answer is simply not shared, and counted.
 *
 * <p>While the database fails this tier steps aside ({@link OutageWatch}): a read that fails or takes longer than
 * {@link #READ_WAIT} is a miss, for a second after a failure no read is tried, and answers whose write fails are
 * dropped and counted. No request waits on it longer, none gets an error from it.
 */
final class SharedTier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedTier.class);
  private static final int PRUNE_BATCH = 500;
  private static final int WRITE_BATCH = 100;
  /** Rows are polled by the database's created_at; this overlap catches those whose insert committed late. */
  private static final Duration OVERLAP = Duration.ofSeconds(3);
  /** As long as a key lookup may wait (auth/KeyLookups): past that, going upstream is the faster answer. */
  static final Duration READ_WAIT = Duration.ofSeconds(2);
  /** What a read that took too long completes with, to be told from a row that was not there. */
  private static final CachedAnswer TIMED_OUT = CachedAnswer.whole(new byte[0]);

  private record Pending(String hash, Long owner, CachedAnswer answer, Instant expires) {
  }

  private final DataSource data;
  private final Executor workers;
  private final String origin = UUID.randomUUID().toString();
  private final Cache<String, Instant> known;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(1024);
  private final Thread writer;
  private final AtomicLong dropped = new AtomicLong();
  private final OutageWatch failures = new OutageWatch(LOG, "response cache: the shared tier fails ({}); answers come"
      + " from this instance's memory or the upstream, and answers that cannot be shared are dropped and counted,"
      + " until it works again", "response cache: the shared tier works again");
  private final Duration readWait;
  private volatile Instant polledUpTo = Instant.EPOCH;

  SharedTier(DataSource data, Executor workers, long knownBound, Duration ttl) {
    this(data, workers, knownBound, ttl, READ_WAIT);
  }

  SharedTier(DataSource data, Executor workers, long knownBound, Duration ttl, Duration readWait) {
    this.data = data;
    this.readWait = readWait;
    this.workers = workers;
    this.known = Caffeine.newBuilder().maximumSize(knownBound).expireAfterWrite(ttl).build();
    this.writer = new Thread(this::writeLoop, "tollgate-cache-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Whether a row for this hash is believed to exist and be fresh, and worth a read now. */
  boolean knows(String hash) {
    Instant expires = known.getIfPresent(hash);
    return expires != null && expires.isAfter(Instant.now()) && !failures.failingLately();
  }

  /** The stored answer, read on the workers; null when it is gone, unreadable, or not read within the wait. */
  CompletableFuture<CachedAnswer> read(String hash) {
    return CompletableFuture.supplyAsync(() -> select(hash), workers)
        .completeOnTimeout(TIMED_OUT, readWait.toMillis(), TimeUnit.MILLISECONDS)
        // The timeout completes on the JDK's timer thread: the miss (a call upstream) goes on from a worker.
        .thenCompose(found -> found != TIMED_OUT ? CompletableFuture.completedFuture(found)
            : CompletableFuture.supplyAsync(() -> {
              failures.failed("no answer within " + readWait.toMillis() + " ms");
              return null;
            }, workers));
  }

  private CachedAnswer select(String hash) {
    try (Connection c = data.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT body FROM response_cache WHERE hash = ? AND expires_at > ?")) {
      s.setString(1, hash);
      s.setTimestamp(2, Timestamp.from(Instant.now()));
      try (ResultSet r = s.executeQuery()) {
        failures.worked();
        if (r.next()) {
          return CachedAnswer.decode(r.getBytes(1));
        }
        known.invalidate(hash);
        return null;
      }
    } catch (SQLException e) {
      failures.failed(e.getClass().getSimpleName());
      return null;
    } catch (IOException e) {
      LOG.warn("response cache: a shared entry cannot be read: {}", e.toString());
      return null;
    }
  }

  /** Stores the answer off the request path; a row another instance wrote first is kept. */
  void write(String hash, Long owner, CachedAnswer answer, Instant expires) {
    if (queue.offer(new Pending(hash, owner, answer, expires))) {
      known.put(hash, expires);
    } else {
      dropped.incrementAndGet();
      // Full: the writer waits on a database that does not answer, or cannot keep up. Either way, step aside.
      failures.failed("the write queue is full");
    }
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(WRITE_BATCH);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, WRITE_BATCH - 1);
      insert(batch);
      batch.clear();
    }
  }

  private void insert(List<Pending> batch) {
    try (Connection c = data.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO response_cache (hash, owner_key_id, origin,"
            + " content_type, stream, body, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING")) {
      for (Pending p : batch) {
        s.setString(1, p.hash());
        s.setObject(2, p.owner());
        s.setString(3, origin);
        s.setString(4, p.answer().contentType());
        s.setBoolean(5, p.answer().isStream());
        s.setBytes(6, p.answer().encode());
        s.setTimestamp(7, Timestamp.from(p.expires()));
        s.addBatch();
      }
      s.executeBatch();
      failures.worked();
    } catch (SQLException | RuntimeException | AssertionError e) {
      // pgjdbc 42.7 throws an AssertionError from executeBatch when the connection closes mid-batch
      // (BatchResultHandler.isAutoCommit): uncaught, it ended this thread, and no answer was shared again.
      batch.forEach(p -> known.invalidate(p.hash()));
      dropped.addAndGet(batch.size());
      failures.failed(e.getClass().getSimpleName());
      LOG.debug("response cache: storing {} shared entries failed: {}", batch.size(), e.toString());
    }
  }

  /** Learns the hashes other instances stored since the last poll. */
  void poll() {
    Instant now = Instant.now();
    try (Connection c = data.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT hash, expires_at, created_at FROM response_cache"
            + " WHERE created_at > ? AND expires_at > ? AND (origin IS NULL OR origin <> ?)")) {
      s.setTimestamp(1, Timestamp.from(polledUpTo.minus(OVERLAP)));
      s.setTimestamp(2, Timestamp.from(now));
      s.setString(3, origin);
      Instant newest = polledUpTo;
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          known.put(r.getString(1), r.getTimestamp(2).toInstant());
          Instant created = r.getTimestamp(3).toInstant();
          newest = created.isAfter(newest) ? created : newest;
        }
      }
      polledUpTo = newest;
      failures.worked();
    } catch (SQLException e) {
      failures.failed(e.getClass().getSimpleName());
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
      failures.failed(e.getClass().getSimpleName());
    }
  }

  /** Deletes every row (the admin's purge). */
  void clear() {
    known.invalidateAll();
    try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement("DELETE FROM response_cache")) {
      s.executeUpdate();
    } catch (SQLException e) {
      LOG.warn("response cache: purging failed: {}", e.toString());
    }
  }

  /** Answers not shared: the write queue was full, or their write failed. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    writer.interrupt();
  }
}
