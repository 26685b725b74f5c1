package io.tollgate.upstream;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into server-sent events as bytes arrive, without decoding text it does not need to:
 * only {@code event:} and {@code data:} fields matter to the gateway. Lines are found with a scan and copied in
 * bulk, since this runs once for every byte of every stream. A line or event longer than a limit fails the stream
 * (an upstream that never sends a line break must not fill the heap). Not thread-safe; one per stream.
 */
public final class SseReader {
  /** Receives each complete event. */
  public interface Handler {
    void onEvent(String name, byte[] data);
  }

  private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
  /** Far above any real event (whole Gemini answers with inline images come as one); whole answers get 256 MiB. */
  static final int MAX_EVENT_BYTES = 64 * 1024 * 1024;

  private final Handler handler;
  private final Bytes line;
  private final Bytes data;
  private boolean hasData;
  private String eventName;
  private boolean lastWasCr;

  public SseReader(Handler handler) {
    this(handler, MAX_EVENT_BYTES);
  }

  SseReader(Handler handler, int maxEventBytes) {
    this.handler = handler;
    this.line = new Bytes(Math.min(256, maxEventBytes), maxEventBytes);
    this.data = new Bytes(Math.min(512, maxEventBytes), maxEventBytes);
  }

  /**
   * Reads what arrived.
   *
   * @throws GatewayException (502) when a line or an event's data outgrows the limit; the stream is then unusable
   */
  public void feed(ByteBuffer buffer) {
    // Read in place, also from read-only buffers (Jetty hands out read-only slices): no copy per read.
    int from = buffer.position();
    int to = buffer.limit();
    if (from == to) {
      return; // an empty read: a CR that ended the last one still waits for its LF
    }
    int i = from;
    if (lastWasCr && i < to && buffer.get(i) == '\n') {
      i++;
    }
    lastWasCr = false;
    int start = i;
    while (i < to) {
      byte b = buffer.get(i);
      if (b == '\n' || b == '\r') {
        line.append(buffer, start, i - start);
        endLine();
        if (b == '\r') {
          if (i + 1 < to) {
            if (buffer.get(i + 1) == '\n') {
              i++;
            }
          } else {
            lastWasCr = true;
          }
        }
        start = i + 1;
      }
      i++;
    }
    line.append(buffer, start, to - start);
    buffer.position(to);
  }

  /** The body ended: an event not closed by a blank line is still delivered, as upstreams sometimes need. */
  public void finish() {
    if (line.size > 0) {
      endLine();
    }
    dispatch();
  }

  private void endLine() {
    byte[] b = line.buf;
    int n = line.size;
    line.size = 0;
    if (n == 0) {
      dispatch();
    } else if (startsWith(b, n, DATA)) {
      if (hasData) {
        data.append((byte) '\n');
      }
      int from = valueStart(b, n, DATA.length);
      data.append(b, from, n - from);
      hasData = true;
    } else if (startsWith(b, n, EVENT)) {
      int from = valueStart(b, n, EVENT.length);
      eventName = new String(b, from, n - from, StandardCharsets.UTF_8);
    }
  }

  private void dispatch() {
    if (hasData) {
      handler.onEvent(eventName, Arrays.copyOf(data.buf, data.size));
    }
    data.size = 0;
    hasData = false;
    eventName = null;
  }

  private static int valueStart(byte[] b, int n, int afterColon) {
    return afterColon < n && b[afterColon] == ' ' ? afterColon + 1 : afterColon;
  }

  private static boolean startsWith(byte[] b, int n, byte[] prefix) {
    return n >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** A growable byte buffer without ByteArrayOutputStream's per-call locking, up to a limit. */
  private static final class Bytes {
    private final int limit;
    byte[] buf;
    int size;

    Bytes(int capacity, int limit) {
      this.limit = limit;
      buf = new byte[capacity];
    }

    void append(byte[] src, int from, int len) {
      if (len <= 0) {
        return;
      }
      ensure(size + len);
      System.arraycopy(src, from, buf, size, len);
      size += len;
    }

    void append(ByteBuffer src, int index, int len) {
      if (len <= 0) {
        return;
      }
      ensure(size + len);
      src.get(index, buf, size, len);
      size += len;
    }

    void append(byte b) {
      ensure(size + 1);
      buf[size++] = b;
    }

    private void ensure(int capacity) {
      if (capacity > buf.length) {
        if (capacity > limit || capacity < 0) {
          throw GatewayException.of(ErrorType.UPSTREAM_ERROR,
              "the upstream sent a stream event longer than " + limit + " bytes");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(capacity, buf.length * 2L)));
      }
    }
  }
}
