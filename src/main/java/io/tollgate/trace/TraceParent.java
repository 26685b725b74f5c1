package io.tollgate.trace;

/**
 * Reads a traceparent header: {@code version-traceid-parentid-flags}, lowercase hex, neither id all zeros.
 * Version 00 must be exactly 55 characters. A later version is read for its first four fields, as the specification
 * asks, when it is at least that long and any more follows a dash; version ff is invalid.
 */
final class TraceParent {
  private static final int LENGTH = 55;

  private TraceParent() {
  }

  static boolean valid(String h) {
    int length = h.length();
    if (length < LENGTH || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
        || !hex(h, 0, 2) || h.startsWith("ff")) {
      return false;
    }
    boolean v00 = h.startsWith("00");
    if (v00 ? length != LENGTH : length > LENGTH && h.charAt(LENGTH) != '-') {
      return false;
    }
    return hex(h, 3, 35) && !zeros(h, 3, 35) && hex(h, 36, 52) && !zeros(h, 36, 52) && hex(h, 53, 55);
  }

  static String traceId(String h) {
    return h.substring(3, 35);
  }

  static String parentId(String h) {
    return h.substring(36, 52);
  }

  /** Version 00's flags as sent; of a later version only the sampled bit, whose meaning this version knows. */
  static String flags(String h) {
    boolean sampled = (Character.digit(h.charAt(54), 16) & 1) == 1;
    boolean usual = h.charAt(53) == '0' && (h.charAt(54) == '0' || h.charAt(54) == '1');
    if (!h.startsWith("00") || usual) {
      return sampled ? "01" : "00"; // no new string for the two usual values
    }
    return h.substring(53, 55);
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
