package io.tollgate.provider.openai;

import io.tollgate.error.GatewayException;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.Route;
import io.tollgate.upstream.SseListener;

/** An OpenAI upstream's SSE events handed on as they are; {@code [DONE]} ends the stream. */
final class PassThroughStream implements SseListener {
  private static final byte[] DONE = "[DONE]".getBytes();

  private final ChunkSink sink;
  private final Route route;
  private boolean done;

  PassThroughStream(ChunkSink sink, Route route) {
    this.sink = sink;
    this.route = route;
  }

  @Override
  public void onOpen() {
    sink.onOpen();
  }

  @Override
  public void onEvent(String name, byte[] data) {
    if (done) {
      return;
    }
    if (java.util.Arrays.equals(data, DONE)) {
      done = true;
      sink.onComplete();
    } else if (data.length > 0) {
      sink.onChunk(data);
    }
  }

  @Override
  public boolean onPause(Runnable more) {
    return done || sink.onPause(more);
  }

  @Override
  public void onError(RuntimeException error) {
    if (!done) {
      done = true;
      sink.onError(OpenAiAdapter.mapError(error, route));
    }
  }

  @Override
  public void onClose() {
    if (!done) {
      // Some OpenAI-compatible servers end without [DONE]; a clean end of body is still a complete answer.
      done = true;
      sink.onComplete();
    }
  }

}
