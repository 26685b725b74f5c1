package io.tollgate.filter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Whether a raw (still encoded) request path is in normal form, and what it decodes to. */
final class NormalPaths {
  private NormalPaths() {
  }

  /** No path parameters, dot segments, empty segments, backslashes, control characters or encoded separators. */
  static boolean isNormal(String raw) {
    if (raw.isEmpty()) {
      return true;
    }
    if (raw.charAt(0) != '/') {
      return false;
    }
    int segmentStart = 1;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == ';' || c == '\\') {
        return false;
      }
      if (c == '%' && !harmlessEscape(raw, i)) {
        return false;
      }
      if (c == '/' && i > 0) {
        if (!segmentOk(raw, segmentStart, i)) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return segmentStart == raw.length() || segmentOk(raw, segmentStart, raw.length());
  }

  private static boolean segmentOk(String raw, int start, int end) {
    int length = end - start;
    if (length == 0) {
      return false; // "//"
    }
    return !(raw.charAt(start) == '.' && (length == 1 || (length == 2 && raw.charAt(start + 1) == '.')));
  }

  /** An escape of anything but a separator, a dot, a percent sign or a control character. */
  private static boolean harmlessEscape(String raw, int i) {
    if (i + 2 >= raw.length()) {
      return false;
    }
    int hi = Character.digit(raw.charAt(i + 1), 16);
    int lo = Character.digit(raw.charAt(i + 2), 16);
    if (hi < 0 || lo < 0) {
      return false;
    }
    int b = hi * 16 + lo;
    return b > 0x20 && b != 0x7f && b != '.' && b != '/' && b != '\\' && b != ';' && b != '%';
  }

  /** The path percent-decoded as UTF-8, or null if it is not valid UTF-8. Call only on a path that is normal. */
  static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Whether the container routes on the path the client sent, once decoded. */
  static boolean routedAsSent(String raw, String routed) {
    String decoded = decode(raw);
    if (decoded == null) {
      return false;
    }
    return decoded.equals(routed) || (decoded.isEmpty() && routed.equals("/"));
  }
}
