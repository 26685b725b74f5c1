package io.tollgate.trace;

import org.slf4j.MDC;

/**
 * The request's ids in the logging MDC, so every line logged for it says which request and trace it belongs to:
 * {@code request_id}, {@code trace_id} and {@code span_id} (the gateway's span).
 */
public final class RequestMdc {
  public static final String REQUEST_ID = "request_id";
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";

  /** What {@link #enter} returns on a thread that already carries the request's ids: nothing to restore. */
  private static final Scope NOTHING = () -> { };

  private RequestMdc() {
  }

  /** On the request's own thread (the first filter): sets the ids; {@link #clear()} removes them. */
  public static void put(String requestId, TraceContext trace) {
    MDC.put(REQUEST_ID, requestId);
    if (trace != null) {
      MDC.put(TRACE_ID, trace.traceId());
      MDC.put(SPAN_ID, trace.spanId());
    }
  }

  public static void clear() {
    MDC.remove(REQUEST_ID);
    MDC.remove(TRACE_ID);
    MDC.remove(SPAN_ID);
  }

  /**
   * Around a line logged for a request on a thread that may not be the request's (an upstream client's callback, a
   * timer, the container's completion): sets the ids unless the thread already carries them, and puts back what
   * was there on close. For logging sites, not for every callback: the happy path pays nothing.
   */
  public static Scope enter(String requestId, TraceContext trace) {
    String before = MDC.get(REQUEST_ID);
    if (requestId == null || requestId.equals(before)) {
      return NOTHING;
    }
    String traceBefore = MDC.get(TRACE_ID);
    String spanBefore = MDC.get(SPAN_ID);
    put(requestId, trace);
    if (trace == null) {
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    }
    return () -> {
      restore(REQUEST_ID, before);
      restore(TRACE_ID, traceBefore);
      restore(SPAN_ID, spanBefore);
    };
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Puts the thread's previous ids back; closing never throws. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
