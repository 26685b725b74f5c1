package io.tollgate.housekeeping;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's background chores (pruning expired cache entries and sessions, creating and dropping log
 * partitions, rolling up the log): one daemon thread, each chore at a fixed delay after its last run ended, so a
 * slow chore never piles up behind itself. A chore that fails is logged and runs again next time.
 */
public final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tollgate-housekeeping");
    t.setDaemon(true);
    return t;
  });

  /** Runs {@code chore} after {@code first}, then {@code every} after each run ends. */
  public void every(String name, Duration first, Duration every, Runnable chore) {
    timer.scheduleWithFixedDelay(() -> run(name, chore), first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code chore} once, soon, on the housekeeping thread. */
  public void soon(String name, Runnable chore) {
    timer.execute(() -> run(name, chore));
  }

  /**
   * Deletes in small statements, so a large backlog never holds one long transaction: {@code deleteUpTo} deletes at
   * most the number it is given and answers how many it deleted; at most {@code batches} calls. The total.
   */
  public static int inBatches(int batch, int batches, IntUnaryOperator deleteUpTo) {
    int deleted = 0;
    for (int i = 0; i < batches; i++) {
      int n = deleteUpTo.applyAsInt(batch);
      deleted += n;
      if (n < batch) {
        break;
      }
    }
    return deleted;
  }

  private static void run(String name, Runnable chore) {
    try {
      chore.run();
    } catch (RuntimeException e) {
      LOG.warn("housekeeping: {} failed: {}", name, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
