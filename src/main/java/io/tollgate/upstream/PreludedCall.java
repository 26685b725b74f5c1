package io.tollgate.upstream;

/**
 * A streamed call that opens a conversation first: cancelling it cancels whichever phase is running, the opening
 * POST or the stream that follows.
 */
final class PreludedCall implements UpstreamCall {
  private volatile UpstreamCall phase = NONE;
  private volatile boolean cancelled;

  /** The phase now running; one that starts after a cancel is cancelled at once. */
  void running(UpstreamCall next) {
    phase = next;
    if (cancelled) {
      next.cancel();
    }
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public void cancel() {
    cancelled = true;
    phase.cancel();
  }
}
