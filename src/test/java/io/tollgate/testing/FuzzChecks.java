package io.tollgate.testing;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.upstream.SseListener;
import io.tollgate.upstream.SseReader;
import java.nio.ByteBuffer;

/**
 * The properties every fuzz test holds its target to. Input from a client may succeed or fail with a 4xx
 * {@link GatewayException}; input from an upstream may succeed or fail with the gateway's own upstream error (a
 * 4xx kept from the upstream, 502 or 504). Anything else, an NPE or a StackOverflowError say, escapes to Jazzer as a
 * finding: in the webapp it would have been a 500.
 */
public final class FuzzChecks {
  private FuzzChecks() {
  }

  public static void clientInput(Runnable target) {
    try {
      target.run();
    } catch (GatewayException e) {
      if (e.status() < 400 || e.status() > 499) {
        throw new AssertionError("a client's input failed with HTTP " + e.status() + ": " + e.getMessage(), e);
      }
    }
  }

  public static void upstreamInput(Runnable target) {
    try {
      target.run();
    } catch (GatewayException e) {
      upstreamError(e);
    }
  }

  /** The error a stream ended with, or a call failed with: never the gateway's own 500. */
  public static void upstreamError(GatewayException e) {
    if (e.type() == ErrorType.INTERNAL || e.status() < 400 || e.status() == 500) {
      throw new AssertionError("an upstream's answer failed with HTTP " + e.status() + ": " + e.getMessage(), e);
    }
  }

  /**
   * An upstream's stream body played into a listener as StreamExchange plays it: open, the events, the end. Pieces
   * are the SSE reader's own fuzz target; here the bytes come in one read.
   */
  public static void play(byte[] body, SseListener listener) {
    listener.onOpen();
    SseReader reader = new SseReader(listener::onEvent);
    try {
      reader.feed(ByteBuffer.wrap(body));
      listener.onPause(() -> { });
      reader.finish();
    } catch (GatewayException tooLong) {
      listener.onError(tooLong);
      return;
    }
    listener.onClose();
  }

  /** What the gateway sends on: it must serialize (Jackson's write limits are not its read limits). */
  public static byte[] written(Object answer) {
    return Json.bytes(answer);
  }
}
