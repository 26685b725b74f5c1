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
   * Everything the upstream sent so far has been handed over: push it to the client now. Chunks are written to
   * the client only here and at the end, so one upstream read costs one write, however many events it held;
   * every adapter that streams calls this after each read. False when the write waits for a slow client: then
   * {@code more} runs once it is taken, and the adapter reads its upstream again only then (see SseListener).
   */
  boolean onPause(Runnable more);

  void onError(GatewayException error);

  void onComplete();
}
