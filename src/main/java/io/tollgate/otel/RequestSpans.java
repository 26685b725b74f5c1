package io.tollgate.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.tollgate.trace.TraceContext;
import io.tollgate.usage.UsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each finished request into one SERVER span, on the request-log writer's thread: the caller's trace and
 * parent, the gateway's own span id (the one its upstream calls carry), the request's start and end, and what the
 * access log holds. Key names only, never keys; the path, never the query string. Never throws.
 */
final class RequestSpans implements Consumer<UsageEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestSpans.class);
  private static final int MAX_ERROR_CHARS = 300;
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<String> UPSTREAM_MODEL = AttributeKey.stringKey("tollgate.upstream_model");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("tollgate.request_id");
  private static final AttributeKey<String> KEY = AttributeKey.stringKey("tollgate.key");
  private static final AttributeKey<String> CACHE = AttributeKey.stringKey("tollgate.cache");
  private static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("tollgate.stream");
  private static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("tollgate.attempts");

  /** The caller's traceparent and tracestate, as the W3C propagator reads them. */
  private record Caller(String traceparent, String tracestate) {
  }

  private static final TextMapGetter<Caller> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Caller carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(Caller carrier, String key) {
      if (carrier == null) {
        return null;
      }
      return "traceparent".equals(key) ? carrier.traceparent() : "tracestate".equals(key) ? carrier.tracestate() : null;
    }
  };

  /** Health checks and scrapes, every few seconds from every probe: a span each would bury the requests. */
  private static final Set<String> PROBES = Set.of("/healthz", "/health", "/metrics");

  private final Tracer tracer;
  private final GatewaySpanIds ids;
  private final SpanCounts counts;

  RequestSpans(Tracer tracer, GatewaySpanIds ids, SpanCounts counts) {
    this.tracer = tracer;
    this.ids = ids;
    this.counts = counts;
  }

  @Override
  public void accept(UsageEvent event) {
    TraceContext trace = event.trace();
    if (trace == null || event.time() == null || PROBES.contains(event.path())) {
      return;
    }
    try {
      record(event, trace);
    } catch (RuntimeException e) {
      LOG.warn("request {}: its span could not be made", event.requestId(), e);
    }
  }

  private void record(UsageEvent event, TraceContext trace) {
    long start = epochNanos(event.time());
    ids.next(trace.traceId(), trace.spanId());
    Span span;
    try {
      span = tracer.spanBuilder(event.method() + " " + event.path()).setParent(parent(trace))
          .setSpanKind(SpanKind.SERVER).setStartTimestamp(start, TimeUnit.NANOSECONDS).startSpan();
    } finally {
      ids.clear();
    }
    if (!span.getSpanContext().isSampled() || counts.full()) {
      return; // not sampled (the caller's flags or the sampler), or no room: a span never ended is never exported
    }
    describe(span, event);
    span.end(start + TimeUnit.MILLISECONDS.toNanos(event.latencyMs()), TimeUnit.NANOSECONDS);
    counts.ended();
  }

  /** The caller's span as a remote parent, or none when the trace began at the gateway. */
  private static Context parent(TraceContext trace) {
    if (trace.parentId() == null) {
      return Context.root();
    }
    Caller caller = new Caller("00-" + trace.traceId() + "-" + trace.parentId() + "-" + trace.flags(),
        trace.traceState());
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), caller, HEADERS);
  }

  private static void describe(Span span, UsageEvent e) {
    span.setAttribute(METHOD, e.method());
    span.setAttribute(PATH, e.path());
    span.setAttribute(STATUS, (long) e.status());
    span.setAttribute(REQUEST_ID, e.requestId());
    span.setAttribute(STREAM, e.stream());
    put(span, MODEL, e.model());
    put(span, SYSTEM, e.provider());
    put(span, UPSTREAM_MODEL, e.upstreamModel());
    put(span, KEY, e.keyName());
    put(span, CACHE, e.cacheStatus());
    if (e.promptTokens() != null) {
      span.setAttribute(INPUT_TOKENS, e.promptTokens().longValue());
    }
    if (e.completionTokens() != null) {
      span.setAttribute(OUTPUT_TOKENS, e.completionTokens().longValue());
    }
    if (e.attempts() > 0) {
      span.setAttribute(ATTEMPTS, (long) e.attempts());
    }
    if (e.status() >= 500) {
      // The same text as the access-log line's error, which is written for logs: never a key or a header.
      String error = e.error();
      span.setAttribute(ERROR_TYPE, Integer.toString(e.status()));
      if (error == null) {
        span.setStatus(StatusCode.ERROR);
      } else {
        span.setStatus(StatusCode.ERROR, error.length() <= MAX_ERROR_CHARS ? error
            : error.substring(0, MAX_ERROR_CHARS) + "…");
      }
    }
  }

  private static void put(Span span, AttributeKey<String> key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
  }

  private static long epochNanos(Instant time) {
    return TimeUnit.SECONDS.toNanos(time.getEpochSecond()) + time.getNano();
  }
}
