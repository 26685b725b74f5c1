package io.tollgate.stream;

import jakarta.servlet.AsyncContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a reply's AsyncContext ends: exactly once, whichever thread gets there first; and when the client left first,
 * only after the client-gone hook has run, so the request's log row already says why it ended.
 */
final class ReplyEnd {
  private final AsyncContext async;
  private final AtomicBoolean told = new AtomicBoolean();
  private final AtomicBoolean completed = new AtomicBoolean();
  private volatile Runnable onClientGone;

  ReplyEnd(AsyncContext async) {
    this.async = async;
  }

  void onClientGone(Runnable action) {
    this.onClientGone = action;
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

  /** The client left: the hook once, then the request's end. Never called inside the reply's monitor. */
  void clientLeft() {
    Runnable action = onClientGone;
    if (action != null && told.compareAndSet(false, true)) {
      action.run();
    }
    complete();
  }
}
