package io.tollgate.openai;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers for requests and answers. They need to be unique, not unguessable, so they come from
 * ThreadLocalRandom: {@code UUID.randomUUID()} goes through one shared SecureRandom on every request.
 */
public final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {
  }

  /** The prefix followed by 24 hex digits (96 random bits). */
  public static String random(String prefix) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(prefix.length() + 24).append(prefix);
    append(sb, r.nextLong(), 16);
    append(sb, r.nextInt(), 8);
    return sb.toString();
  }

  private static void append(StringBuilder sb, long bits, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      sb.append(HEX[(int) (bits >>> (i * 4)) & 0xf]);
    }
  }
}
