package io.tollgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollgate.usage.UsageEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Counts each finished API request into its meters: requests, latency, time to first byte and tokens. It runs on the
 * request-log writer's one thread, from the event that thread already receives, so the request thread does nothing
 * for metrics; and since only that thread calls it, its own lookup table needs no lock.
 *
 * <p>Label values stay bounded. A model whose request failed before any provider or the cache answered (an unknown
 * name, a refused key, a malformed body, a rate limit) is "unknown", and after {@value #MAX_MODELS} distinct routed
 * names (a pattern or a catch-all provider serves any name) further ones are "other". A request no provider
 * answered (a cache hit, a refusal) has provider "none".
 */
final class RequestMeters implements Consumer<UsageEvent> {
  static final int MAX_MODELS = 100;
  static final String UNKNOWN = "unknown";
  static final String OTHER = "other";
  static final String NO_PROVIDER = "none";

  private static final Map<String, String> DIALECTS = dialects();
  private static final Duration[] LATENCY_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
  private static final Duration[] FIRST_BYTE_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);

  /** The labels of one series of {@code tollgate_requests_total}. */
  private record Key(String model, String provider, String dialect, int status, boolean stream) {
  }

  /** The meters a request of one {@link Key} adds to; several keys share a timer or a token counter. */
  private record Meters(Counter requests, Timer latency, Timer firstByte, Counter tokensIn, Counter tokensOut) {
  }

  private final MeterRegistry registry;
  private final Map<Key, Meters> meters = new HashMap<>();
  private final Set<String> models = new HashSet<>();

  RequestMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void accept(UsageEvent e) {
    String dialect = e.path() == null ? null : DIALECTS.get(e.path());
    if (dialect == null) {
      return; // not an API request: /healthz, /metrics, the admin API, a path that does not exist
    }
    String provider = e.provider() == null ? NO_PROVIDER : e.provider();
    Meters m = meters.computeIfAbsent(new Key(model(e), provider, dialect, e.status(), e.stream()), this::register);
    m.requests().increment();
    m.latency().record(e.latencyMs(), TimeUnit.MILLISECONDS);
    if (e.ttfbMs() != null) {
      m.firstByte().record(e.ttfbMs(), TimeUnit.MILLISECONDS);
    }
    if (e.promptTokens() != null && e.promptTokens() > 0) {
      m.tokensIn().increment(e.promptTokens());
    }
    if (e.completionTokens() != null && e.completionTokens() > 0) {
      m.tokensOut().increment(e.completionTokens());
    }
  }

  /**
   * The model's label: its name once routing accepted it (a provider or the cache answered for it, or the gateway
   * answered it itself, as count_tokens estimates), else unknown.
   */
  private String model(UsageEvent e) {
    String name = e.model();
    boolean routed = e.provider() != null || e.cacheStatus() != null || e.status() < 400;
    if (name == null || !routed) {
      return UNKNOWN;
    }
    if (models.contains(name)) {
      return name;
    }
    if (models.size() >= MAX_MODELS) {
      return OTHER;
    }
    models.add(name);
    return name;
  }

  private Meters register(Key k) {
    String stream = Boolean.toString(k.stream());
    return new Meters(
        Counter.builder("tollgate.requests")
            .description("Finished API requests, by model, provider, dialect and HTTP status")
            .tags("model", k.model(), "provider", k.provider(), "dialect", k.dialect(),
                "status", Integer.toString(k.status()), "stream", stream)
            .register(registry),
        Timer.builder("tollgate.request.duration")
            .description("Time from the request's arrival to the end of its response (a stream's last event)")
            .tags("model", k.model(), "provider", k.provider(), "stream", stream)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry),
        Timer.builder("tollgate.request.first_byte")
            .description("Time from the request's arrival to the first byte of its answer")
            .tags("model", k.model(), "provider", k.provider(), "stream", stream)
            .serviceLevelObjectives(FIRST_BYTE_BUCKETS)
            .register(registry),
        tokens(k, "input"),
        tokens(k, "output"));
  }

  private Counter tokens(Key k, String direction) {
    return Counter.builder("tollgate.tokens")
        .description("Tokens of finished requests: input (prompt) and output (completion), by model and provider")
        .tags("model", k.model(), "provider", k.provider(), "direction", direction)
        .register(registry);
  }

  private static Duration[] seconds(double... values) {
    Duration[] d = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return d;
  }

  /** The paths web.xml maps to the API servlets, and the dialect each speaks. */
  private static Map<String, String> dialects() {
    Map<String, String> m = new HashMap<>();
    for (String prefix : new String[] {"/v1", "", "/api/v1"}) {
      for (String op : new String[] {"/chat/completions", "/completions", "/embeddings", "/images/generations",
          "/images/edits", "/audio/transcriptions", "/audio/translations", "/audio/speech", "/moderations"}) {
        m.put(prefix + op, "openai");
      }
      m.put(prefix + "/messages", "anthropic");
      m.put(prefix + "/messages/count_tokens", "anthropic");
      m.put(prefix + "/responses", "responses");
    }
    return Map.copyOf(m);
  }
}
