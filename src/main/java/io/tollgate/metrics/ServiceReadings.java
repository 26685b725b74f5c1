package io.tollgate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.cache.ResponseCache;
import io.tollgate.failover.Failover;
import io.tollgate.limits.LimitGate;
import io.tollgate.otel.OtelTracing;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.usage.RequestLogWriter;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Meters that read the counters the services already keep (lock-free adders and atomics) when /metrics is
 * scraped, so registering them adds nothing to any request: the request log's queue, retries and failed attempts,
 * the circuit breakers, the shared limit counters and the response cache.
 */
final class ServiceReadings {
  private static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open");

  private ServiceReadings() {
  }

  static void requestLog(MeterRegistry r, RequestLogWriter w) {
    counter(r, "tollgate.request_log.written", "Request-log rows written to the database", w,
        RequestLogWriter::written);
    counter(r, "tollgate.request_log.dropped", "Request-log rows dropped because the queue was full", w,
        RequestLogWriter::dropped);
    counter(r, "tollgate.access_log.dropped",
        "Finished requests dropped because the queue was full: their access-log lines, and their metrics", w,
        RequestLogWriter::droppedLines);
    counter(r, "tollgate.request_log.write_failures", "Failed batch writes (retried)", w,
        RequestLogWriter::failedWrites);
    gauge(r, "tollgate.request_log.pending", "Rows accepted but not yet written, including those held for a retry",
        w, RequestLogWriter::pending);
    gauge(r, "tollgate.request_log.queued", "Finished requests waiting in the log writer's queue", w,
        RequestLogWriter::queued);
  }

  static void failover(MeterRegistry r, Failover f) {
    counter(r, "tollgate.upstream.retries", "Attempts made after a request's first one failed", f,
        Failover::retries);
    for (String kind : Failover.failureKinds()) {
      FunctionCounter.builder("tollgate.upstream.failed_attempts", f, x -> x.failedAttempts(kind))
          .description("Upstream calls that failed (retried or not), by kind of failure")
          .tag("kind", kind).register(r);
    }
    for (String state : BREAKER_STATES) {
      FunctionCounter.builder("tollgate.breaker.transitions", f, x -> x.breakers().transitionsTo(state))
          .description("Circuit breaker state changes, by the state entered")
          .tag("state", state).register(r);
      Gauge.builder("tollgate.breakers", f, x -> x.breakers().inState(state))
          .description("Circuit breakers (one per provider and model called) in each state now")
          .tag("state", state).strongReference(true).register(r);
    }
  }

  static void upstream(MeterRegistry r, UpstreamClient upstream) {
    String help = "Connections to upstreams now, by state: active (an exchange uses it), idle (pooled)";
    Gauge.builder("tollgate.upstream.connections", upstream, u -> u.connections().active()).description(help)
        .tag("state", "active").strongReference(true).register(r);
    Gauge.builder("tollgate.upstream.connections", upstream, u -> u.connections().idle()).description(help)
        .tag("state", "idle").strongReference(true).register(r);
    gauge(r, "tollgate.upstream.queued_requests", "Upstream calls waiting for a connection (MAX_CONNECTIONS reached)",
        upstream, u -> u.connections().queued());
  }

  static void limits(MeterRegistry r, LimitGate limits) {
    counter(r, "tollgate.limit.db_statements", "Statements sent to the shared limit counters", limits,
        LimitGate::roundTrips);
  }

  static void cache(MeterRegistry r, ResponseCache cache) {
    FunctionCounter.builder("tollgate.cache.lookups", cache, ResponseCache::hits)
        .description("Response cache lookups, by outcome").tag("outcome", "hit").register(r);
    FunctionCounter.builder("tollgate.cache.lookups", cache, ResponseCache::misses)
        .description("Response cache lookups, by outcome").tag("outcome", "miss").register(r);
    counter(r, "tollgate.cache.shared_writes_dropped",
        "Answers not shared: the write queue was full or their write failed", cache, ResponseCache::sharedWritesDropped);
  }

  static void spans(MeterRegistry r, OtelTracing tracing) {
    String help = "OpenTelemetry spans, by outcome: exported, failed (the collector refused them or was not"
        + " reached), dropped (OTEL_BSP_MAX_QUEUE_SIZE spans were already waiting)";
    FunctionCounter.builder("tollgate.spans", tracing, OtelTracing::exportedSpans).description(help)
        .tag("outcome", "exported").register(r);
    FunctionCounter.builder("tollgate.spans", tracing, OtelTracing::failedSpans).description(help)
        .tag("outcome", "failed").register(r);
    FunctionCounter.builder("tollgate.spans", tracing, OtelTracing::droppedSpans).description(help)
        .tag("outcome", "dropped").register(r);
  }

  private static <T> void counter(MeterRegistry r, String name, String help, T source, ToDoubleFunction<T> read) {
    FunctionCounter.builder(name, source, read).description(help).register(r);
  }

  private static <T> void gauge(MeterRegistry r, String name, String help, T source, ToDoubleFunction<T> read) {
    Gauge.builder(name, source, read).description(help).strongReference(true).register(r);
  }
}
