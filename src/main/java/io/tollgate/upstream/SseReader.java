package io.tollgate.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits a byte stream into server-sent events as bytes arrive, without decoding text it does not need to:
 * only {@code event:} and {@code data:} fields matter to the gateway. Not thread-safe; one per stream.
 */
public final class SseReader {
  /** Receives each complete event. */
  public interface Handler {
    void onEvent(String name, byte[] data);
  }

  private static final byte[] DATA = "data:".getBytes();
  private static final byte[] EVENT = "event:".getBytes();

  private final Handler handler;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final ByteArrayOutputStream data = new ByteArrayOutputStream(512);
  private boolean hasData;
  private String eventName;
  private boolean lastWasCr;

  public SseReader(Handler handler) {
    this.handler = handler;
  }

  public void feed(ByteBuffer buffer) {
    while (buffer.hasRemaining()) {
      byte b = buffer.get();
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine();
      } else {
        line.write(b);
      }
    }
  }

  /** The body ended: an event not closed by a blank line is still delivered, as browsers do not, but upstreams need. */
  public void finish() {
    if (line.size() > 0) {
      endLine();
    }
    dispatch();
  }

  private void endLine() {
    byte[] bytes = line.toByteArray();
    line.reset();
    if (bytes.length == 0) {
      dispatch();
    } else if (startsWith(bytes, DATA)) {
      if (hasData) {
        data.write('\n');
      }
      data.write(bytes, valueStart(bytes, DATA.length), bytes.length - valueStart(bytes, DATA.length));
      hasData = true;
    } else if (startsWith(bytes, EVENT)) {
      int from = valueStart(bytes, EVENT.length);
      eventName = new String(bytes, from, bytes.length - from, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private void dispatch() {
    if (hasData) {
      handler.onEvent(eventName, data.toByteArray());
    }
    data.reset();
    hasData = false;
    eventName = null;
  }

  private static int valueStart(byte[] bytes, int afterColon) {
    return afterColon < bytes.length && bytes[afterColon] == ' ' ? afterColon + 1 : afterColon;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
