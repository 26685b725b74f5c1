package io.tollgate.limits;

import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageEvent;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;

/**
 * A request let through: the rate headers its answer carries, and the token and money reservations that
 * {@link #settle} turns into the real usage once the response has ended, so the estimate never stays charged.
 */
public final class Admission {
  public static final Admission NONE = new Admission(List.of(), Map.of());

  private final List<Need> held;
  private final Map<String, String> headers;

  Admission(List<Need> held, Map<String, String> headers) {
    this.held = held;
    this.headers = headers;
  }

  /** x-ratelimit-* for the answer, set before its first byte; empty for a key without limits. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Puts the rate headers on the answer and has the request's end settle what was reserved. */
  public void applyTo(HttpServletResponse response, RequestLog log) {
    headers.forEach(response::setHeader);
    if (settles()) {
      log.onFinish(this::settle);
    }
  }

  /** Whether anything must be settled when the request ends (a token limit or a quota applied). */
  public boolean settles() {
    for (Need n : held) {
      if (n.metric() != Metric.RPM && n.metric() != Metric.RPH) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces each estimate by what the request used: the difference goes back to the slice or is charged. A
   * successful answer whose usage is unknown keeps its estimate; a failed one that reported none used nothing.
   * Money is the row's cost, which {@code cost.Billing} set from the price table (none for an unpriced model).
   */
  public void settle(UsageEvent event) {
    boolean known = event.promptTokens() != null || event.completionTokens() != null;
    long prompt = event.promptTokens() == null ? 0 : event.promptTokens();
    long completion = event.completionTokens() == null ? 0 : event.completionTokens();
    boolean keepEstimate = !known && event.status() < 400;
    for (Need n : held) {
      long used;
      switch (n.metric()) {
        case TPM, TOKENS -> used = keepEstimate ? n.amount() : prompt + completion;
        case USD -> used = keepEstimate ? n.amount()
            : event.costUsd() == null ? 0 : LimitGate.micros(event.costUsd());
        default -> {
          continue;
        }
      }
      long diff = used - n.amount();
      if (diff < 0) {
        n.bucket().giveBack(-diff, n.window().start());
      } else if (diff > 0) {
        n.bucket().charge(diff, n.window().start());
      }
    }
  }
}
