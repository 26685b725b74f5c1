package io.tollgate.upstream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Aborts an exchange whose answer has not begun in time, when that limit (the provider's time to first byte, or
 * what is left of the request's total) is shorter than the idle timeout, which bounds the wait otherwise. Armed
 * only then, so the default settings cost no timer.
 */
final class HeadersDeadline {
  private static final HeadersDeadline NONE = new HeadersDeadline(null);

  private final Scheduler.Task task;

  private HeadersDeadline(Scheduler.Task task) {
    this.task = task;
  }

  static HeadersDeadline arm(Request call, UpstreamLink link, long idleMs, long firstByteMs, Scheduler scheduler) {
    long limitMs = link.idleTimeout() == null ? idleMs : link.idleTimeout().toMillis();
    long idle = limitMs;
    limitMs = Math.min(limitMs, link.firstByteTimeout() == null ? firstByteMs : link.firstByteTimeout().toMillis());
    if (link.deadlineNanos() != 0) {
      limitMs = Math.min(limitMs, Math.max(1, (link.deadlineNanos() - System.nanoTime()) / 1_000_000));
    }
    if (limitMs >= idle) {
      return NONE;
    }
    return new HeadersDeadline(scheduler.schedule(
        () -> call.abort(new TimeoutException("no answer in time")), limitMs, TimeUnit.MILLISECONDS));
  }

  /** The answer began (or the exchange ended): the limit no longer applies. */
  void met() {
    if (task != null) {
      task.cancel();
    }
  }
}
