package io.tollgate.v1;

import io.tollgate.cache.ResponseCache;
import io.tollgate.failover.Failover;
import io.tollgate.limits.LimitGate;
import io.tollgate.usage.RequestLogWriter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** Prometheus text: the request and access logs' health, so what overflow drops is visible, not silent. */
@Path("metrics")
public final class MetricsResource {
  private final RequestLogWriter logWriter;
  private final Failover failover;
  private final LimitGate limits;
  private final ResponseCache cache;

  MetricsResource(RequestLogWriter logWriter, Failover failover, LimitGate limits, ResponseCache cache) {
    this.logWriter = logWriter;
    this.failover = failover;
    this.limits = limits;
    this.cache = cache;
  }

  @GET
  @Produces("text/plain; version=0.0.4")
  public String metrics() {
    return "# HELP tollgate_request_log_written_total Request-log rows written to the database.\n"
        + "# TYPE tollgate_request_log_written_total counter\n"
        + "tollgate_request_log_written_total " + logWriter.written() + "\n"
        + "# HELP tollgate_request_log_dropped_total Request-log rows dropped because the queue was full.\n"
        + "# TYPE tollgate_request_log_dropped_total counter\n"
        + "tollgate_request_log_dropped_total " + logWriter.dropped() + "\n"
        + "# HELP tollgate_access_log_dropped_total Access-log lines dropped because the queue was full.\n"
        + "# TYPE tollgate_access_log_dropped_total counter\n"
        + "tollgate_access_log_dropped_total " + logWriter.droppedLines() + "\n"
        + "# HELP tollgate_request_log_write_failures_total Failed batch writes (retried).\n"
        + "# TYPE tollgate_request_log_write_failures_total counter\n"
        + "tollgate_request_log_write_failures_total " + logWriter.failedWrites() + "\n"
        + "# HELP tollgate_request_log_pending Rows waiting to be written.\n"
        + "# TYPE tollgate_request_log_pending gauge\n"
        + "tollgate_request_log_pending " + logWriter.pending() + "\n"
        + "# HELP tollgate_upstream_retries_total Attempts made after a request's first one failed.\n"
        + "# TYPE tollgate_upstream_retries_total counter\n"
        + "tollgate_upstream_retries_total " + failover.retries() + "\n"
        + "# HELP tollgate_upstream_failed_attempts_total Upstream calls that failed (retried or not).\n"
        + "# TYPE tollgate_upstream_failed_attempts_total counter\n"
        + "tollgate_upstream_failed_attempts_total " + failover.failedAttempts() + "\n"
        + "# HELP tollgate_breaker_transitions_total Circuit breaker state changes, by the state entered.\n"
        + "# TYPE tollgate_breaker_transitions_total counter\n"
        + "tollgate_breaker_transitions_total{state=\"open\"} " + failover.breakers().transitionsTo("open") + "\n"
        + "tollgate_breaker_transitions_total{state=\"half_open\"} " + failover.breakers().transitionsTo("half_open")
        + "\n"
        + "tollgate_breaker_transitions_total{state=\"closed\"} " + failover.breakers().transitionsTo("closed")
        + "\n"
        + "# HELP tollgate_limit_db_statements_total Statements sent to the shared limit counters.\n"
        + "# TYPE tollgate_limit_db_statements_total counter\n"
        + "tollgate_limit_db_statements_total " + limits.roundTrips() + "\n"
        + "# HELP tollgate_cache_lookups_total Response cache lookups, by outcome.\n"
        + "# TYPE tollgate_cache_lookups_total counter\n"
        + "tollgate_cache_lookups_total{outcome=\"hit\"} " + cache.hits() + "\n"
        + "tollgate_cache_lookups_total{outcome=\"miss\"} " + cache.misses() + "\n"
        + "# HELP tollgate_cache_shared_writes_dropped_total Answers not shared because the write queue was full.\n"
        + "# TYPE tollgate_cache_shared_writes_dropped_total counter\n"
        + "tollgate_cache_shared_writes_dropped_total " + cache.sharedWritesDropped() + "\n";
  }
}
