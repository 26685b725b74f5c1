package io.tollgate.persistence;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hikari's threads, remembered so that closing the pool can wait until they have ended. Hikari's close returns
 * once its executors have terminated, a moment before their last thread has exited, and Tomcat reports a thread
 * still alive at undeploy as a leak.
 */
final class PoolThreads implements ThreadFactory {
  private static final long EXIT_WAIT_NANOS = 5_000_000_000L;

  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();
  private final Queue<Thread> started = new ConcurrentLinkedQueue<>();

  PoolThreads(String poolName) {
    this.prefix = poolName + "-";
  }

  static PoolThreads of(HikariDataSource pool) {
    return pool.getThreadFactory() instanceof PoolThreads threads ? threads : new PoolThreads("none");
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread t = new Thread(task, prefix + count.incrementAndGet());
    t.setDaemon(true);
    started.removeIf(old -> old.getState() == Thread.State.TERMINATED);
    started.add(t);
    return t;
  }

  /** Waits, up to a bound in all, for every thread this factory made to end. */
  void awaitExit() {
    long deadline = System.nanoTime() + EXIT_WAIT_NANOS;
    for (Thread t : started) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        t.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Threads made by this factory that are still alive, for tests. */
  long alive() {
    return started.stream().filter(Thread::isAlive).count();
  }
}
