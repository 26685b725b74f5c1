package io.tollgate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor for the gateway's own work (the echo model, key-cache refreshes): virtual threads when the
 * runtime has them (Java 21+), found at run time so the WAR still runs on 17; otherwise a cached pool of daemon
 * threads. Never the common fork-join pool, which has parallelism 1 on a 2-CPU machine.
 */
final class WorkerThreads {
  private WorkerThreads() {
  }

  static ExecutorService create() {
    try {
      return (ExecutorService) MethodHandles.publicLookup()
          .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
              MethodType.methodType(ExecutorService.class))
          .invoke();
    } catch (Throwable notOnThisRuntime) {
      AtomicInteger n = new AtomicInteger();
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "tollgate-io-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
  }

  static boolean virtual(ExecutorService executor) {
    return !(executor instanceof ThreadPoolExecutor);
  }
}
