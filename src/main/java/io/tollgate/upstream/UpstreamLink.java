package io.tollgate.upstream;

import java.time.Duration;
import java.util.Map;

/**
 * How calls to one provider travel: its time limits (time to first byte, idle time, all attempts of a request
 * together), the fixed headers every call carries, its connection settings, whether it looks like a browser, and
 * the conversation to open before each call; and, for one attempt, the instant by which the answer must have begun,
 * the handle that stops it and the W3C trace headers of the request it serves (null when none). A null limit means
 * the client's default; a deadline of 0 means none.
 */
public record UpstreamLink(String provider, Duration firstByteTimeout, Duration idleTimeout, Duration totalTimeout,
    Map<String, String> headers, ConnectionSettings connection, BrowserMask browser, ConversationPrelude prelude,
    long deadlineNanos, Abort abort, String traceparent, String tracestate) {

  public UpstreamLink {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    connection = connection == null ? ConnectionSettings.DEFAULT : connection;
    browser = browser == null ? BrowserMask.DEFAULT : browser;
  }

  public UpstreamLink(String provider, Duration firstByteTimeout, Duration idleTimeout, Duration totalTimeout,
      Map<String, String> headers, ConnectionSettings connection, BrowserMask browser, ConversationPrelude prelude,
      long deadlineNanos, Abort abort) {
    this(provider, firstByteTimeout, idleTimeout, totalTimeout, headers, connection, browser, prelude, deadlineNanos,
        abort, null, null);
  }

  /** A provider with every setting at the client's default. */
  public static UpstreamLink of(String provider) {
    return new UpstreamLink(provider, null, null, null, Map.of(), null, null, null, 0, null);
  }

  /** The same link for one attempt, which must have its answer begun by {@code nanoTime} (0: no limit). */
  public UpstreamLink forAttempt(long nanoTime, Abort handle) {
    return forAttempt(nanoTime, handle, null, null);
  }

  /** The same link for one attempt of a request in a trace: its calls carry these traceparent and tracestate. */
  public UpstreamLink forAttempt(long nanoTime, Abort handle, String traceparentHeader, String tracestateHeader) {
    return new UpstreamLink(provider, firstByteTimeout, idleTimeout, totalTimeout, headers, connection, browser,
        prelude, nanoTime, handle, traceparentHeader, tracestateHeader);
  }
}
