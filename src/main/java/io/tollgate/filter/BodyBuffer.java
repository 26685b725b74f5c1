package io.tollgate.filter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A request body as it arrives: grows with the bytes actually received, never with what the client declared, so a
 * request that declares 10 MB and sends one byte costs one small buffer.
 */
final class BodyBuffer {
  private static final int FIRST = 16 * 1024;

  private final long declared;
  private final long max;
  private final long cap;
  private byte[] bytes;
  private int size;

  /** {@code declared} is the Content-Length (at most {@code max}), or -1 when the body is chunked. */
  BodyBuffer(long declared, long max) {
    this.declared = declared;
    this.max = max;
    this.cap = declared >= 0 ? declared : max + 1; // one byte past the limit tells a body that is too large
    this.bytes = new byte[(int) Math.min(cap, FIRST)];
  }

  /** One read from {@code in}, which blocks if {@code in} does; returns what {@code read} returned. */
  int readFrom(InputStream in) throws IOException {
    if (size == bytes.length) {
      if (bytes.length == cap) {
        throw new IllegalStateException("the body is already whole or too large");
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(cap, (long) bytes.length * 2));
    }
    int n = in.read(bytes, size, bytes.length - size);
    if (n > 0) {
      size += n;
    }
    return n;
  }

  /** Whether no more bytes may be read: all that was declared came, or more than the limit. */
  boolean full() {
    return size == cap;
  }

  boolean tooLarge() {
    return size > max;
  }

  boolean shorterThanDeclared() {
    return declared >= 0 && size < declared;
  }

  byte[] bytes() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }
}
