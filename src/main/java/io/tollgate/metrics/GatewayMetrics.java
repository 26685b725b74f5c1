package io.tollgate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tollgate.cache.ResponseCache;
import io.tollgate.failover.Failover;
import io.tollgate.limits.LimitGate;
import io.tollgate.otel.OtelTracing;
import io.tollgate.stream.OpenStreams;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.usage.RequestLogWriter;
import io.tollgate.usage.UsageEvent;
import java.util.function.Consumer;

/**
 * The gateway's meters in one Prometheus registry of its own (never Micrometer's global one, which would outlive
 * an undeployed webapp): the JVM's, the connection pool's, the services' counters, the open streams, and the
 * finished requests. Closing it releases the GC listeners and every meter, so nothing keeps the webapp loaded.
 */
public final class GatewayMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final OpenStreams streams = new OpenStreams();
  private final RequestMeters requests;

  public GatewayMetrics() {
    // Micrometer's default, said out loud: a pause detector runs LatencyUtils threads that nothing ever stops.
    registry.config().pauseDetector(new NoPauseDetector());
    requests = new RequestMeters(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("tollgate.streams.open", streams, OpenStreams::count)
        .description("Event streams open to clients now").strongReference(true).register(registry);
  }

  /** For the connection pool's own meters (HikariCP's Micrometer tracker). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The gauge the replies count their streams on. */
  public OpenStreams openStreams() {
    return streams;
  }

  /** Records a finished request; for the request-log writer's thread only. */
  public Consumer<UsageEvent> finishedRequests() {
    return requests;
  }

  /** Reads the services' own counters at each scrape. */
  public void watch(RequestLogWriter logWriter, Failover failover, LimitGate limits) {
    ServiceReadings.requestLog(registry, logWriter);
    ServiceReadings.failover(registry, failover);
    ServiceReadings.limits(registry, limits);
  }

  /** Only when spans are exported: what became of them. */
  public void watch(OtelTracing tracing) {
    ServiceReadings.spans(registry, tracing);
  }

  public void watch(UpstreamClient upstream) {
    ServiceReadings.upstream(registry, upstream);
  }

  public void watch(ResponseCache cache) {
    ServiceReadings.cache(registry, cache);
  }

  /** Every meter in the format {@code contentType} names: Prometheus text 0.0.4, or OpenMetrics text. */
  public String scrape(String contentType) {
    return registry.scrape(contentType);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
