package io.tollgate.provider;

import io.tollgate.error.GatewayException;

/**
 * Receives one streamed answer as OpenAI {@code chat.completion.chunk} JSON payloads, in order, from a single
 * thread at a time: {@code onOpen} first, then chunks, then exactly one of {@code onError} or {@code onComplete}.
 */
public interface ChunkSink {
  void onOpen();

  void onChunk(byte[] json);

  /**
   * Everything the upstream sent so far has been handed over: push it to the client now. Adapters that call this
   * let the gateway write the events of one upstream read with one flush; for those that never do, every chunk
   * is flushed as it comes.
   */
  default void onPause() {
  }

  void onError(GatewayException error);

  void onComplete();
}
