package io.tollgate.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.GatewayConfig.ResilienceConfig;
import io.tollgate.routing.Plan;
import io.tollgate.usage.RequestLog;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What every request's attempts share: the key pools, the circuit breakers, the retry settings, and one timer
 * thread that starts a retry when its backoff is over (no request thread sleeps).
 */
public final class Failover implements AutoCloseable {
  final ResilienceConfig settings;
  final KeyPools pools;
  final Breakers breakers;
  final LongAdder retries = new LongAdder();
  /** Failed attempts by {@link Failure.Kind}, indexed by ordinal: one adder per kind, no map on the failure path. */
  private final LongAdder[] failedAttempts = new LongAdder[Failure.Kind.values().length];
  private final ScheduledThreadPoolExecutor timer;

  public Failover(ResilienceConfig settings) {
    this.settings = settings;
    this.pools = new KeyPools(settings.keyCooldown(), settings.keyRecheck());
    this.breakers = new Breakers(settings);
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("tollgate-retry");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    Arrays.setAll(failedAttempts, i -> new LongAdder());
  }

  /**
   * The attempts of one request. {@code session} (may be null) keeps its calls on one key; {@code callerToken} is
   * the caller's bearer token, which pass-through providers send upstream.
   */
  public Attempts attempts(Plan plan, String callerToken, String session, RequestLog log) {
    return new Attempts(this, plan, callerToken, session, log);
  }

  public KeyPools pools() {
    return pools;
  }

  public Breakers breakers() {
    return breakers;
  }

  public long retries() {
    return retries.sum();
  }

  /** Every failed upstream call, retried or not (a call the client cancelled is not a failure). */
  public long failedAttempts() {
    long sum = 0;
    for (LongAdder a : failedAttempts) {
      sum += a.sum();
    }
    return sum;
  }

  /**
   * Failed upstream calls of one kind: "rejected_key" (401/403 on a pooled key), "rate_limited" (429), "server"
   * (5xx, 408), "connection", "local" (no room in the connection queue), "timeout", or "client" (any other 4xx, or
   * the gateway's own refusal).
   */
  public long failedAttempts(String kind) {
    return failedAttempts[Failure.Kind.valueOf(kind.toUpperCase(Locale.ROOT)).ordinal()].sum();
  }

  /** The kinds {@link #failedAttempts(String)} knows, in lower case. */
  public static List<String> failureKinds() {
    return Arrays.stream(Failure.Kind.values()).filter(k -> k != Failure.Kind.CANCELLED)
        .map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
  }

  void failed(Failure.Kind kind) {
    failedAttempts[kind.ordinal()].increment();
  }

  java.util.concurrent.ScheduledFuture<?> later(Runnable task, long nanos) {
    return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The session a request belongs to, for key affinity, or null: {@code X-Session-Id}, else a header one of the
   * model's providers names ({@code options.affinity_header}), else the body's {@code prompt_cache_key}, else its
   * {@code user} (Anthropic's {@code metadata.user_id} when {@code body} is a Messages request's metadata).
   */
  public static String session(Plan plan, Function<String, String> headers, JsonNode body) {
    String id = headers.apply("X-Session-Id");
    if (id != null && !id.isBlank()) {
      return id;
    }
    for (Plan.Candidate c : plan.candidates()) {
      String header = c.provider().options().get("affinity_header");
      String value = header == null ? null : headers.apply(header);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    for (String field : new String[] {"prompt_cache_key", "user", "user_id"}) {
      JsonNode v = body == null ? null : body.get(field);
      if (v != null && v.isTextual() && !v.asText().isBlank()) {
        return v.asText();
      }
    }
    return null;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
