package io.tollgate.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C trace context (https://www.w3.org/TR/trace-context/) of one request: the caller's trace, or a new one
 * when the caller sent none or an invalid one, and the gateway's own span in it. Upstream calls carry the same
 * trace id with the gateway's span as their parent ({@link #traceparent()}), and the caller's tracestate unchanged.
 */
public final class TraceContext {
  /** The request attribute that holds it, set by the first filter. */
  public static final String ATTRIBUTE = "io.tollgate.trace";
  /** What a new trace's flags say: sampled, since the gateway records every request in its log. */
  private static final String NEW_TRACE_FLAGS = "01";
  private static final int MAX_STATE_CHARS = 512;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String traceId;
  private final String parentId;
  private final String spanId;
  private final String flags;
  private final String traceState;
  private String traceparent; // built on first use; racing threads build equal strings

  private TraceContext(String traceId, String parentId, String flags, String traceState) {
    this.traceId = traceId;
    this.parentId = parentId;
    this.spanId = randomId(1);
    this.flags = flags;
    this.traceState = traceState;
  }

  /** A new trace, with the gateway's span as its root. */
  public static TraceContext fresh() {
    return new TraceContext(randomId(2), null, NEW_TRACE_FLAGS, null);
  }

  /**
   * The caller's trace when {@code traceparent} is valid, with its tracestate when that is sane; otherwise a new
   * trace, and the tracestate is dropped with the traceparent it belonged to (as the specification says).
   */
  public static TraceContext of(String traceparent, String tracestate) {
    if (traceparent == null || !TraceParent.valid(traceparent)) {
      return fresh();
    }
    return new TraceContext(TraceParent.traceId(traceparent), TraceParent.parentId(traceparent),
        TraceParent.flags(traceparent), saneState(tracestate));
  }

  /** 32 lowercase hex digits, never all zero. */
  public String traceId() {
    return traceId;
  }

  /** The gateway's span for this request: 16 lowercase hex digits. */
  public String spanId() {
    return spanId;
  }

  /** The caller's span, or null when the trace began at the gateway. */
  public String parentId() {
    return parentId;
  }

  /** The trace flags as two hex digits; bit 0 is "sampled". */
  public String flags() {
    return flags;
  }

  public boolean sampled() {
    return (Character.digit(flags.charAt(1), 16) & 1) == 1;
  }

  /** The caller's tracestate to pass on, or null. */
  public String traceState() {
    return traceState;
  }

  /** The traceparent header for calls the gateway makes for this request: its own span as their parent. */
  public String traceparent() {
    String header = traceparent;
    if (header == null) {
      header = "00-" + traceId + "-" + spanId + "-" + flags;
      traceparent = header;
    }
    return header;
  }

  /** Printable ASCII within the length every participant must pass on; anything else is dropped, not cut. */
  private static String saneState(String state) {
    if (state == null || state.isEmpty() || state.length() > MAX_STATE_CHARS) {
      return null;
    }
    for (int i = 0; i < state.length(); i++) {
      char c = state.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return null;
      }
    }
    return state;
  }

  /** {@code longs} random 64-bit words as lowercase hex, never all zero (an invalid id). */
  static String randomId(int longs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[16 * longs];
    boolean zero = true;
    for (int w = 0; w < longs; w++) {
      long bits = random.nextLong();
      if (w == longs - 1 && zero && bits == 0) {
        bits = 1;
      }
      zero &= bits == 0;
      for (int i = 15; i >= 0; i--) {
        out[w * 16 + i] = HEX[(int) (bits & 0xf)];
        bits >>>= 4;
      }
    }
    return new String(out);
  }
}
