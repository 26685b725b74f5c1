package io.tollgate.stream;

import jakarta.servlet.AsyncContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * How a reply's AsyncContext ends: exactly once, whichever thread gets there first; and when the client left first,
 * only after the client-gone hook has run, so the request's log row already says why it ended. A client cut for
 * reading nothing is left to the container: completing would have it write on to that client, and wait.
 */
final class ReplyEnd {
  private final AsyncContext async;
  private final AtomicBoolean told = new AtomicBoolean();
  private final AtomicBoolean completed = new AtomicBoolean();
  private volatile Consumer<String> onClientGone;
  private volatile String why = "client closed the connection";
  private volatile boolean stalled;
  private volatile String cut;

  ReplyEnd(AsyncContext async) {
    this.async = async;
  }

  void onClientGone(Consumer<String> action) {
    this.onClientGone = action;
  }

  /** Under the reply's monitor: why the client is gone, and whether it was cut for reading nothing. */
  void gone(String why, boolean stalled) {
    if (why != null) {
      this.why = why;
    }
    this.stalled = stalled;
  }

  /** The cut client's connection can end now (it read after all, or the container has it in error). */
  boolean unstall() {
    boolean was = stalled;
    stalled = false;
    return was;
  }

  /** The reply is over: the request ends now. */
  void complete() {
    if (completed.compareAndSet(false, true)) {
      try {
        async.complete();
      } catch (IllegalStateException alreadyDone) {
        // the container ended the request first (client gone); nothing left to do
      }
    }
  }

  /** The reply is cut rather than ended where the container allows: once the hook ran, the request goes back to
   * its servlet (ResponseAbort). */
  void cut(String why) {
    try {
      if (ResponseAbort.cuttable(async)) {
        this.cut = why;
      }
    } catch (IllegalStateException alreadyDone) {
      // the container ended the request first (client gone)
    }
  }

  /** The client left: the hook once, then the request's end. Never called inside the reply's monitor. */
  void clientLeft() {
    Consumer<String> action = onClientGone;
    if (action != null && told.compareAndSet(false, true)) {
      action.accept(why);
    }
    String cutWhy = cut;
    if (cutWhy != null && completed.compareAndSet(false, true)) {
      try {
        async.getRequest().setAttribute(ResponseAbort.ATTRIBUTE, cutWhy);
        async.dispatch();
      } catch (IllegalStateException alreadyDone) {
        // the container ended the request first (client gone); nothing left to do
      }
    } else if (!stalled) {
      complete();
    }
  }
}
