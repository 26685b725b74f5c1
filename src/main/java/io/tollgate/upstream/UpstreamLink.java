package io.tollgate.upstream;

import java.time.Duration;
import java.util.Map;

/**
 * How calls to one provider travel: its time limits, the fixed headers every call carries, and, for one attempt,
 * the instant by which the answer must have begun; its connection settings, whether it looks like a browser, and
 * the conversation to open before each call. A null limit means the client's default; a deadline of 0 means none.
 */
public record UpstreamLink(String provider, Duration firstByteTimeout, Duration idleTimeout,
    Map<String, String> headers, long deadlineNanos, ConnectionSettings connection, BrowserMask browser,
    ConversationPrelude prelude) {

  public UpstreamLink {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    connection = connection == null ? ConnectionSettings.DEFAULT : connection;
    browser = browser == null ? BrowserMask.DEFAULT : browser;
  }

  public UpstreamLink(String provider, Duration firstByteTimeout, Duration idleTimeout, Map<String, String> headers,
      long deadlineNanos) {
    this(provider, firstByteTimeout, idleTimeout, headers, deadlineNanos, null, null, null);
  }

  /** A provider with every setting at the client's default. */
  public static UpstreamLink of(String provider) {
    return new UpstreamLink(provider, null, null, Map.of(), 0);
  }

  /** The same link for one attempt that must have its answer begun by {@code nanoTime}. */
  public UpstreamLink withDeadline(long nanoTime) {
    return new UpstreamLink(provider, firstByteTimeout, idleTimeout, headers, nanoTime, connection, browser,
        prelude);
  }
}
