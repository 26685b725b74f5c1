package io.tollgate.upstream;

/**
 * The way to stop one attempt's exchange from outside it (its client left, or the request gave up): the client
 * registers how to abort the exchange when it starts, and firing runs that now or as soon as it is registered.
 */
public final class Abort {
  private Runnable action;
  private boolean fired;

  /** What stops the exchange; run at once when the abort already fired. */
  public void onFire(Runnable stop) {
    boolean now;
    synchronized (this) {
      action = stop;
      now = fired;
    }
    if (now) {
      stop.run();
    }
  }

  public void fire() {
    Runnable stop;
    synchronized (this) {
      if (fired) {
        return;
      }
      fired = true;
      stop = action;
    }
    if (stop != null) {
      stop.run();
    }
  }
}
