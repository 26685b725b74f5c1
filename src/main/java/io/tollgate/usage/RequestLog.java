package io.tollgate.usage;

import io.tollgate.auth.Caller;
import io.tollgate.config.LogConfig;
import io.tollgate.stream.AsyncReply;
import io.tollgate.openai.Usage;
import io.tollgate.provider.Route;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.error.GatewayException;
import io.tollgate.error.InternalErrors;
import io.tollgate.trace.RequestMdc;
import io.tollgate.trace.TraceContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one request did, filled in along the path (auth, routing, the relay) and turned into a log row and an
 * access-log line when the response completes. Fields are written by one thread at a time, in order.
 */
public final class RequestLog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestLog.class);
  public static final String ATTRIBUTE = "io.tollgate.requestLog";

  private final String requestId;
  private final TraceContext trace;
  private final Instant start = Instant.now();
  private final long startNanos = System.nanoTime();
  private volatile Caller caller;
  private volatile String model;
  private volatile Route route;
  private volatile boolean stream;
  private volatile long firstByteNanos;
  private volatile Usage usage = Usage.NONE;
  private volatile String error;
  private volatile BigDecimal cost;
  private volatile String usageSource;
  private volatile String cacheStatus;
  private volatile Consumer<UsageEvent> onFinish;
  private volatile BodyCapture bodies;
  private final UsageTally tally = new UsageTally();
  private final List<Attempt> attempts = new ArrayList<>(1);
  private boolean attemptFailed;
  private int attemptCount;
  /** Enough to see what happened; the row's attempts column still counts them all. */
  private static final int MAX_LOGGED_ATTEMPTS = 20;

  /** A request that came without the first filter (it always runs in the webapp): a trace of its own. */
  public RequestLog(String requestId) {
    this(requestId, null);
  }

  public RequestLog(String requestId, TraceContext trace) {
    this.requestId = requestId;
    this.trace = trace != null ? trace : TraceContext.fresh();
  }

  public String requestId() {
    return requestId;
  }

  /** The request's trace: the caller's, or one the gateway began. */
  public TraceContext trace() {
    return trace;
  }

  /**
   * The request's ids in the MDC around a line logged for it, on whichever thread: upstream callbacks, timers and the
   * container's completion run without the first filter's MDC.
   */
  public RequestMdc.Scope mdc() {
    return RequestMdc.enter(requestId, trace);
  }

  /** A bug or unexpected failure in this request: logged with the request's ids, answered with a generic error. */
  public GatewayException internalError(Throwable t) {
    try (RequestMdc.Scope ignored = mdc()) {
      return InternalErrors.logged(t, requestId);
    }
  }

  public void caller(Caller c) {
    this.caller = c;
  }

  public Caller caller() {
    return caller;
  }

  public void model(String m, boolean isStream) {
    this.model = m;
    this.stream = isStream;
  }

  public void route(Route r) {
    this.route = r;
  }

  /** The model the client asked for. */
  public String model() {
    return model;
  }

  /** The model name the last upstream was sent, once a route was chosen. */
  public String upstreamModel() {
    Route r = route;
    return r == null ? null : r.upstreamModel();
  }

  /** What the gateway needs to count this request's tokens, should its upstream not report them. */
  public UsageTally tally() {
    return tally;
  }

  public void firstByte() {
    if (firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
    }
  }

  public Usage usage() {
    return usage;
  }

  /** What the request cost in US dollars, once its usage is known and its model has a price. */
  public void cost(BigDecimal usd) {
    this.cost = usd;
  }

  public BigDecimal cost() {
    return cost;
  }

  /** Where the token counts came from: "upstream", or "counted" when the gateway counted them itself. */
  public void usageSource(String source) {
    this.usageSource = source;
  }

  public String usageSource() {
    return usageSource;
  }

  /** What the response cache did: "hit" or "miss"; unset when it was not asked. */
  public void cacheStatus(String status) {
    this.cacheStatus = status;
  }

  public String cacheStatus() {
    return cacheStatus;
  }

  /**
   * With LOG_BODIES on, keeps the request's body and a copy of what {@code reply} sends for the row; otherwise
   * holds and copies nothing.
   */
  public void keepBodies(LogConfig config, byte[] request, AsyncReply reply) {
    if (config.bodies()) {
      BodyCapture capture = new BodyCapture(config.bodyMaxBytes(), request);
      bodies = capture;
      reply.tap(capture);
    }
  }

  /**
   * Runs once with the final row when the response has really ended (also when the client left), for whatever must
   * settle on the real usage. One callback; a second replaces the first.
   */
  public void onFinish(Consumer<UsageEvent> callback) {
    this.onFinish = callback;
  }

  /** Called by the access-log filter when the response has ended; runs the onFinish callback. */
  public UsageEvent finish(String method, String path, int status) {
    UsageEvent event = toEvent(method, path, status);
    Consumer<UsageEvent> callback = onFinish;
    if (callback != null) {
      onFinish = null;
      try {
        callback.accept(event);
      } catch (RuntimeException e) {
        try (RequestMdc.Scope ignored = mdc()) {
          LOG.error("request {}: settling its usage failed", requestId, e);
        }
      }
    }
    return event;
  }

  public void usage(Usage u) {
    if (u != null) {
      this.usage = u;
    }
  }

  /** An upstream call failed: noted for the log row, and a WARN line with provider, status and request id. */
  public void upstreamFailed(int status, String message) {
    error(message);
    Route r = route;
    try (RequestMdc.Scope ignored = mdc()) {
      LOG.warn("request {} failed upstream ({}) with {}: {}", requestId, r == null ? "?" : r.provider(), status,
          message);
    }
  }

  public void error(String message) {
    if (error == null) {
      this.error = message;
    }
  }

  /** One upstream call: where it went, with which key (its position in the pool), and how it ended. */
  private record Attempt(String provider, String model, Integer key, int status, long ms, String error) {
    ObjectNode json() {
      ObjectNode a = Json.MAPPER.createObjectNode().put("provider", provider).put("model", model);
      if (key != null) {
        a.put("key", key);
      }
      a.put("status", status).put("ms", ms);
      if (error != null) {
        a.put("error", error.length() > 300 ? error.substring(0, 300) + "…" : error);
      }
      return a;
    }
  }

  /** One upstream call of this request; only kept as JSON for the row when there were several or one failed. */
  public synchronized void attempt(String provider, String upstreamModel, Integer keyIndex, int status, long ms,
      String failure) {
    attemptFailed |= failure != null;
    attemptCount++;
    if (attempts.size() < MAX_LOGGED_ATTEMPTS) {
      attempts.add(new Attempt(provider, upstreamModel, keyIndex, status, ms, failure));
    }
  }

  public synchronized int attempts() {
    return attemptCount;
  }

  public UsageEvent toEvent(String method, String path, int status) {
    long now = System.nanoTime();
    Caller c = caller;
    Route r = route;
    Long ttfb = firstByteNanos == 0 ? null : (firstByteNanos - startNanos) / 1_000_000;
    return new UsageEvent(start, requestId, c == null ? null : c.keyId(), c == null ? null : c.name(), method, path,
        model, r == null ? null : r.provider(), r == null ? null : r.upstreamModel(), stream, status,
        (now - startNanos) / 1_000_000, ttfb, usage.promptTokens(), usage.completionTokens(), error,
        attempts(), attemptLog(), c == null ? null : c.policy().userId(), usage.cachedTokens(),
        usage.reasoningTokens(), cost, usageSource, cacheStatus, bodies == null ? null : bodies.bodies(), trace);
  }

  /** The attempts as a JSON array, when they say more than the row does: several, or one that failed. */
  private synchronized String attemptLog() {
    if (attemptCount > 1 || attemptFailed) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      attempts.forEach(a -> list.add(a.json()));
      return list.toString();
    }
    return null;
  }
}
