package io.tollgate.stream;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Looks every half second at the replies still waiting, for a client that closed its connection while nothing was
 * written to it. Neither container tells the webapp on its own: once a request's body is read, Tomcat's NIO
 * connector registers no read interest for an async request (AbstractProtocol.longPoll), and Jetty 12 does not
 * fill the connection again until the response ends, so a closed socket goes unnoticed until the next write. One
 * shared thread, alive only while replies are waiting, asks each of them {@link AsyncReply#probe()}.
 */
public final class ClientWatch {
  static final long PERIOD_MILLIS = 500;

  private static final Set<AsyncReply> WAITING = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean SCHEDULED = new AtomicBoolean();
  private static final Object LOCK = new Object();
  /** Made on first use and shut down with the webapp; guarded by LOCK. */
  private static ScheduledThreadPoolExecutor timer;
  /** The timer's thread, if it has one now. */
  private static volatile Thread thread;

  private ClientWatch() {
  }

  static void watch(AsyncReply reply) {
    WAITING.add(reply);
    if (SCHEDULED.compareAndSet(false, true)) {
      schedule();
    }
  }

  /**
   * Called when the webapp stops: its thread goes now, not seconds later, so Tomcat does not report it as leaked
   * (the replies still waiting are the stopping webapp's, which the container ends).
   */
  public static void stop() {
    synchronized (LOCK) {
      WAITING.clear();
      if (timer != null) {
        timer.shutdownNow();
        try {
          // Tomcat looks for leftover threads right after: the pool's end is not yet its thread's.
          timer.awaitTermination(1, TimeUnit.SECONDS);
          Thread last = thread;
          if (last != null) {
            last.join(1000);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        timer = null;
      }
      SCHEDULED.set(false);
    }
  }

  private static void schedule() {
    synchronized (LOCK) {
      if (timer == null) {
        timer = timer();
      }
      timer.schedule(ClientWatch::round, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** The container's own input stream under any wrappers (the filter's in-memory body among them), if any. */
  static ServletInputStream input(ServletRequest request) {
    ServletRequest own = request;
    while (own instanceof ServletRequestWrapper wrapper) {
      own = wrapper.getRequest();
    }
    try {
      return own.getInputStream();
    } catch (IOException | IllegalStateException readerUsed) {
      return null;
    }
  }

  /**
   * Puts a read listener that reads nothing on a request whose body is in memory: with one, Tomcat's
   * {@code available()} tries a non-blocking read of the socket, which is what lets a probe see the end of the
   * stream; a container that reports the closed connection on its own does so through {@code onError}.
   */
  static void listen(ServletInputStream in, Runnable onError) {
    try {
      in.setReadListener(new ReadListener() {
        @Override
        public void onDataAvailable() {
        }

        @Override
        public void onAllDataRead() {
        }

        @Override
        public void onError(Throwable t) {
          onError.run();
        }
      });
    } catch (IllegalStateException alreadySet) {
      // BodyReader read the body with a listener of its own, which serves as well
    }
  }

  /**
   * Has the client closed its connection? Tomcat: with a read listener and the body read, a byte available is the
   * end of the stream (or a reset) it just read without blocking, or a pipelined request, which no client sends while
   * awaiting an answer. Jetty reads nothing here; it answers 0.
   */
  static boolean closed(ServletInputStream in) {
    try {
      return in != null && in.available() > 0;
    } catch (IOException e) {
      return true;
    }
  }

  static void forget(AsyncReply reply) {
    WAITING.remove(reply);
  }

  private static void round() {
    for (AsyncReply reply : WAITING) {
      try {
        reply.probe();
      } catch (RuntimeException e) {
        WAITING.remove(reply); // a container that refuses the probe is not asked again
      }
    }
    SCHEDULED.set(false);
    // A reply added while this round ran found SCHEDULED true and did not schedule: this round does it.
    if (!WAITING.isEmpty() && SCHEDULED.compareAndSet(false, true)) {
      schedule();
    }
  }

  /** One daemon thread that also ends a few seconds after the last reply. */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "tollgate-client-watch");
      t.setDaemon(true);
      thread = t;
      return t;
    });
    timer.setKeepAliveTime(5, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
