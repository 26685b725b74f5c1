package io.tollgate.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.tollgate.config.ConfigException;
import io.tollgate.config.OtelConfig;
import io.tollgate.usage.UsageEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK, built only when an exporter is configured (see {@link OtelConfig}): its autoconfiguration
 * reads the standard variables from the gateway's merged settings, and a batch span processor sends spans over
 * OTLP/HTTP with the JDK's HttpClient. The spans come from {@link #spans()}, run on the request-log writer's thread;
 * the request threads never touch the SDK. Closing flushes what is queued and stops the SDK's threads, waiting at
 * most {@link #SHUTDOWN_WAIT}.
 */
public final class OtelTracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtelTracing.class);
  static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
  /** The name the SDK gives its batch span processor's thread. */
  private static final String BATCH_WORKER = "BatchSpanProcessor_WorkerThread";
  private static final long WORKER_WAIT_MILLIS = 1000;
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  /** Traces only: /metrics and the log have their own ways out, and the gateway propagates trace context itself. */
  private static final Map<String, String> TRACES_ONLY = Map.of("otel.metrics.exporter", "none",
      "otel.logs.exporter", "none", "otel.propagators", "none");

  private final OpenTelemetrySdk sdk;
  private final SpanCounts counts;
  private final RequestSpans spans;
  /** The batch span processor's thread(s) this SDK started. */
  private final Set<Thread> workers;

  private OtelTracing(OpenTelemetrySdk sdk, SpanCounts counts, GatewaySpanIds ids, String version,
      Set<Thread> workers) {
    this.sdk = sdk;
    this.workers = workers;
    this.counts = counts;
    this.spans = new RequestSpans(sdk.getTracerProvider().tracerBuilder("io.tollgate")
        .setInstrumentationVersion(version).build(), ids, counts);
  }

  public static OtelTracing start(OtelConfig config, String version) {
    GatewaySpanIds ids = new GatewaySpanIds();
    SpanCounts counts = new SpanCounts();
    Thread thread = Thread.currentThread();
    ClassLoader webapp = thread.getContextClassLoader();
    // Threads started while the SDK is built inherit this thread's context class loader. The exporter's JDK
    // HttpClient starts one that Java 17 cannot stop (it ends some time after the client is unreachable): it must
    // not hold the webapp's class loader meanwhile, nor look to the container like a thread the webapp leaked.
    thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
    Set<Thread> before = batchWorkers();
    try {
      OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .disableShutdownHook()
          .addPropertiesSupplier(config::settings)
          .addPropertiesCustomizer(c -> TRACES_ONLY)
          .addResourceCustomizer((resource, c) -> named(resource, version))
          .addSpanExporterCustomizer((exporter, c) -> counts.watch(exporter))
          .addSpanProcessorCustomizer((processor, c) -> {
            counts.limit(c.getInt("otel.bsp.max.queue.size", 2048));
            return processor;
          })
          .addTracerProviderCustomizer((builder, c) -> builder.setIdGenerator(ids))
          .build().getOpenTelemetrySdk();
      LOG.info("OpenTelemetry: spans go out over OTLP/HTTP (the OTEL_* settings, docs/CONFIG.md)");
      Set<Thread> ours = batchWorkers();
      ours.removeAll(before); // another webapp's processor is not ours to stop
      return new OtelTracing(sdk, counts, ids, version, ours);
    } catch (ConfigurationException e) {
      throw new ConfigException("OpenTelemetry settings: " + withoutValues(messages(e), config));
    } finally {
      thread.setContextClassLoader(webapp);
    }
  }

  /** Sees every finished request on the request-log writer's thread and makes its span. */
  public Consumer<UsageEvent> spans() {
    return spans;
  }

  public long exportedSpans() {
    return counts.exported();
  }

  public long failedSpans() {
    return counts.failed();
  }

  public long droppedSpans() {
    return counts.dropped();
  }

  /** After the request-log writer has closed: exports what is queued and stops the SDK's threads. */
  @Override
  public void close() {
    CompletableResultCode done = sdk.shutdown().join(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (!done.isDone()) {
      LOG.warn("OpenTelemetry: the collector did not take the last spans within {} s; they are lost",
          SHUTDOWN_WAIT.toSeconds());
    }
    // The batch processor's thread, told to stop, may still wait out OTEL_BSP_SCHEDULE_DELAY before it looks
    // again; a flush request wakes it, unless it comes before the thread waits. Then an interrupt ends it: the
    // container looks for a leftover thread right after the stop.
    sdk.getSdkTracerProvider().forceFlush();
    for (Thread worker : workers) {
      try {
        worker.join(WORKER_WAIT_MILLIS);
        if (worker.isAlive()) {
          worker.interrupt();
          worker.join(WORKER_WAIT_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Set<Thread> batchWorkers() {
    Set<Thread> found = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(BATCH_WORKER)) {
        found.add(t);
      }
    }
    return found;
  }

  /** "tollgate" unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES named the service; the gateway's version. */
  private static Resource named(Resource resource, String version) {
    Resource out = resource;
    String name = resource.getAttribute(SERVICE_NAME);
    if (name == null || name.startsWith("unknown_service")) {
      out = out.toBuilder().put(SERVICE_NAME, "tollgate").build();
    }
    if (resource.getAttribute(SERVICE_VERSION) == null) {
      out = out.toBuilder().put(SERVICE_VERSION, version).build();
    }
    return out;
  }

  /** The SDK wraps what went wrong ("Unexpected configuration error"): every message down the chain. */
  private static String messages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null && out.length() < 1000; t = t.getCause()) {
      if (t.getMessage() != null && out.indexOf(t.getMessage()) < 0) {
        out.append(out.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return out.toString();
  }

  /** The SDK's messages may quote a value (an endpoint, a duration); settings are never quoted at start-up. */
  private static String withoutValues(String message, OtelConfig config) {
    String out = message.isEmpty() ? "invalid" : message;
    for (String value : config.settings().values()) {
      if (value.strip().length() >= 3) {
        out = out.replace(value.strip(), "…");
      }
    }
    return out;
  }
}
