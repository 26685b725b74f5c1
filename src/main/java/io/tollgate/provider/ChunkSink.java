package io.tollgate.provider;

import io.tollgate.error.GatewayException;

/**
 * Receives one streamed answer as OpenAI {@code chat.completion.chunk} JSON payloads, in order, from a single
 * thread at a time: {@code onOpen} first, then chunks, then exactly one of {@code onError} or {@code onComplete}.
 */
public interface ChunkSink {
  void onOpen();

  void onChunk(byte[] json);

  void onError(GatewayException error);

  void onComplete();
}
