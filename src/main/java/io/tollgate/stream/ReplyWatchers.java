package io.tollgate.stream;

import java.util.Arrays;
import java.util.Map;

/**
 * Those that watch one {@link AsyncReply}: its taps (copies of what it sends), the hold on its successful end, and
 * the gauge of open streams. Used only under the reply's monitor, so it needs no locking of its own.
 */
final class ReplyWatchers {
  private static final ReplyTap[] NONE = {};

  private final OpenStreams streams;
  private ReplyTap[] taps = NONE;
  private EndHold hold;
  private boolean streaming;

  ReplyWatchers(OpenStreams streams) {
    this.streams = streams;
  }

  /** The reply became a stream; {@link #ended} takes it off the gauge again. */
  void streamOpened() {
    streaming = true;
    streams.opened();
  }

  void add(ReplyTap tap) {
    taps = Arrays.copyOf(taps, taps.length + 1);
    taps[taps.length - 1] = tap;
  }

  void hold(EndHold h) {
    hold = h;
  }

  /** The hold, once: the end it held goes out after its work, and is not held again. */
  EndHold takeHold() {
    EndHold h = hold;
    hold = null;
    return h;
  }

  void json(int status, Map<String, String> headers, byte[] body) {
    for (ReplyTap t : taps) {
      t.json(status, headers, body);
    }
  }

  void event(String name, byte[] json) {
    for (ReplyTap t : taps) {
      t.event(name, json);
    }
  }

  /** Called once, when the reply finishes (a completed answer or stream, an error, or the client gone). */
  void ended(boolean ok) {
    if (streaming) {
      streaming = false;
      streams.closed();
    }
    for (ReplyTap t : taps) {
      t.ended(ok);
    }
  }
}
