package io.tollgate.upstream;

import io.tollgate.error.GatewayException;

/** Events of one upstream stream, delivered serially: open, events, then exactly one of error or close. */
public interface SseListener {
  /** The upstream answered 2xx; events follow. */
  void onOpen();

  void onEvent(String name, byte[] data);

  /**
   * The bytes read so far are all delivered; more may follow later. Every listener passes this on, since the
   * client's side writes what it got only here (or at the end): one write per upstream read, not one per event.
   * True when the client took it and reading goes on now; false when it waits for a slow client, and then
   * {@code more} runs (once, on another thread) when the client took it: only then is the upstream read again.
   */
  boolean onPause(Runnable more);

  /** Transport failures arrive as a {@link GatewayException}; a non-2xx answer as an {@link UpstreamException}. */
  void onError(RuntimeException error);

  void onClose();
}
