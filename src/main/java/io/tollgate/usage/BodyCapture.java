package io.tollgate.usage;

import io.tollgate.stream.ReplyTap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Keeps a request's body and a copy of what its reply sends, each up to {@code maxBytes}, for the log's bodies
 * (LOG_BODIES). Past the limit nothing more is copied. Cut on a character boundary, so the text stays valid UTF-8.
 */
final class BodyCapture implements ReplyTap {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEWLINE = {'\n'};
  private static final byte[] END = {'\n', '\n'};

  private final int maxBytes;
  private final String request;
  private final ByteArrayOutputStream response = new ByteArrayOutputStream();

  BodyCapture(int maxBytes, byte[] request) {
    this.maxBytes = maxBytes;
    this.request = cut(request, request.length, maxBytes);
  }

  @Override
  public synchronized void json(int status, Map<String, String> headers, byte[] body) {
    append(body);
  }

  @Override
  public synchronized void event(String name, byte[] json) {
    if (name != null) {
      append(EVENT);
      append(name.getBytes(StandardCharsets.UTF_8));
      append(NEWLINE);
    }
    append(DATA);
    append(json);
    append(END);
  }

  private void append(byte[] bytes) {
    int room = maxBytes + 4 - response.size(); // a few bytes over, so the cut can find a character's end
    if (room > 0) {
      response.write(bytes, 0, Math.min(room, bytes.length));
    }
  }

  synchronized LoggedBodies bodies() {
    byte[] sent = response.toByteArray();
    return new LoggedBodies(request, cut(sent, sent.length, maxBytes));
  }

  /** The first {@code max} bytes at most, ending before a character that would be split. */
  static String cut(byte[] bytes, int length, int max) {
    int end = Math.min(length, max);
    if (end < length) {
      while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
        end--; // bytes[end] continues a character that began before the cut
      }
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
