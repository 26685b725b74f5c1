package io.tollgate.limits;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's rate-limit headers for the tightest request limit and the tightest token limit that applied (fewest
 * left), with resets in its format ("1s", "6m0s", "1h0m0s").
 */
final class RateHeaders {
  private RateHeaders() {
  }

  static Map<String, String> of(List<Need> needs, long nowSeconds) {
    Map<String, String> headers = new LinkedHashMap<>();
    // Each counter is asked once: its bucket is shared by every request of the key, behind one lock.
    Need requests = null;
    long requestsLeft = Long.MAX_VALUE;
    Need tokens = null;
    long tokensLeft = Long.MAX_VALUE;
    for (Need n : needs) {
      if (n.metric() == Metric.RPM || n.metric() == Metric.RPH) {
        long left = n.remaining();
        if (requests == null || left < requestsLeft) {
          requests = n;
          requestsLeft = left;
        }
      } else if (n.metric() == Metric.TPM) {
        long left = n.remaining();
        if (tokens == null || left < tokensLeft) {
          tokens = n;
          tokensLeft = left;
        }
      }
    }
    put(headers, "requests", requests, requestsLeft, nowSeconds);
    put(headers, "tokens", tokens, tokensLeft, nowSeconds);
    return headers;
  }

  static String duration(long seconds) {
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    if (h > 0) {
      return h + "h" + m + "m" + s + "s";
    }
    return m > 0 ? m + "m" + s + "s" : s + "s";
  }

  private static void put(Map<String, String> headers, String what, Need need, long left, long now) {
    if (need != null) {
      headers.put("x-ratelimit-limit-" + what, Long.toString(need.limit()));
      headers.put("x-ratelimit-remaining-" + what, Long.toString(left));
      headers.put("x-ratelimit-reset-" + what, duration(need.window().secondsLeft(now)));
    }
  }
}
