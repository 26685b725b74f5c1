package io.tollgate.upstream;

import java.nio.ByteBuffer;

/** Receives an upstream answer of any type as its bytes arrive; exactly one of onError and onClose ends it. */
public interface ByteListener {
  /** A 2xx answer's head: its content type (null when the upstream named none). */
  void onOpen(String contentType);

  /** Some of the answer's bytes, valid only during the call. */
  void onBytes(ByteBuffer bytes);

  /** After each read: false when the client is slow, and {@code more} will ask for the next read once it caught up. */
  boolean onPause(Runnable more);

  void onError(RuntimeException error);

  void onClose();
}
