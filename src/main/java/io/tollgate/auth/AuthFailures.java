package io.tollgate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed key attempts per client address (AUTH_FAILURE_LIMIT), counted in fixed one-minute windows that start
 * with an address's first failure. Only failures are counted and only failures are refused, so a valid key is never
 * held back by it, and a request that succeeds costs nothing here. An IPv6 client counts by its /64, the block one
 * host is given, so walking its own addresses does not reset the count. Memory is bounded: under a spray of
 * addresses the least used are forgotten first.
 */
public final class AuthFailures {
  private static final Logger LOG = LoggerFactory.getLogger(AuthFailures.class);
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final int MAX_ADDRESSES = 100_000;

  private final int limit;
  private final Ticker ticker;
  private final Cache<String, Window> windows;

  /** @param limit failures an address may have in a window before further ones get a 429; 0 turns it off */
  public AuthFailures(int limit, Ticker ticker) {
    this.limit = limit;
    this.ticker = ticker;
    this.windows = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).expireAfterWrite(WINDOW).ticker(ticker)
        .executor(Runnable::run).build();
  }

  /** Notes a failed attempt from this address: the seconds until its window ends once past the limit, else 0. */
  public long failed(String address) {
    if (limit <= 0 || address == null) {
      return 0;
    }
    long now = ticker.read();
    Window w = windows.asMap().compute(key(address),
        (k, old) -> old == null || now - old.start >= WINDOW.toNanos() ? new Window(now) : old);
    int failures = w.failures.incrementAndGet();
    if (failures <= limit) {
      return 0;
    }
    if (failures == limit + 1) {
      LOG.warn("{} failed {} key checks within a minute (AUTH_FAILURE_LIMIT): its further failures get a 429 until"
          + " the minute is over", address, limit);
    }
    long left = w.start + WINDOW.toNanos() - now;
    return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + TimeUnit.SECONDS.toNanos(1) - 1));
  }

  /** Addresses held, for the bound's test. */
  long size() {
    windows.cleanUp();
    return windows.estimatedSize();
  }

  /** The address, or an IPv6 address's first four groups (its /64). */
  static String key(String address) {
    if (address.indexOf(':') < 0 || address.indexOf('.') >= 0) { // IPv4, or IPv4 mapped into IPv6
      return address;
    }
    String[] groups = expand(address).split(":", -1);
    return groups.length < 4 ? address : groups[0] + ":" + groups[1] + ":" + groups[2] + ":" + groups[3] + "::/64";
  }

  /** {@code a::b} with its zeros written out, enough to read the first four groups; a zone id is dropped. */
  private static String expand(String address) {
    String a = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    int zone = a.indexOf('%');
    a = zone < 0 ? a : a.substring(0, zone);
    int gap = a.indexOf("::");
    if (gap < 0) {
      return a;
    }
    String head = a.substring(0, gap);
    String tail = a.substring(gap + 2);
    int present = (head.isEmpty() ? 0 : head.split(":").length) + (tail.isEmpty() ? 0 : tail.split(":").length);
    StringBuilder out = new StringBuilder(head.isEmpty() ? "0" : head);
    for (int i = head.isEmpty() ? 1 : 0; i < 8 - present; i++) {
      out.append(":0");
    }
    return tail.isEmpty() ? out.toString() : out.append(':').append(tail).toString();
  }

  private static final class Window {
    final long start;
    final AtomicInteger failures = new AtomicInteger();

    Window(long start) {
      this.start = start;
    }
  }
}
