package io.tollgate.failover;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.tollgate.config.GatewayConfig.ResilienceConfig;
import io.tollgate.openai.Json;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A circuit breaker per target (provider and model), from Resilience4j: it opens when the failure rate over the
 * last calls passes the threshold, refuses calls while open, then lets one probe through. Only failures of the
 * upstream count: 5xx, 408, timeouts and connection failures; other 4xx count as successes (the upstream is up),
 * and 429, 401 and 403 (a key's trouble) not at all. At most {@value #MAX_TARGETS} targets are tracked, so
 * pattern models with endless names cannot grow it without bound.
 */
public final class Breakers {
  static final int MAX_TARGETS = 10_000;
  private static final long FORCED_PROBE_GAP = 1_000_000_000L;

  private final CircuitBreakerConfig config;
  private final Cache<String, Breaker> byTarget = Caffeine.newBuilder().maximumSize(MAX_TARGETS).build();
  private final LongAdder opened = new LongAdder();
  private final LongAdder halfOpened = new LongAdder();
  private final LongAdder closed = new LongAdder();

  public Breakers(ResilienceConfig settings) {
    this.config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.breakerWindow())
        .minimumNumberOfCalls(settings.breakerMinCalls())
        .failureRateThreshold(settings.breakerFailureRate())
        .waitDurationInOpenState(settings.breakerOpenTime())
        .permittedNumberOfCallsInHalfOpenState(1)
        .writableStackTraceEnabled(false)
        .build();
  }

  Breaker of(String target) {
    return byTarget.get(target, name -> new Breaker(CircuitBreaker.of(name, config)));
  }

  /** Transitions so far, by the state entered. */
  public long transitionsTo(String state) {
    return switch (state) {
      case "open" -> opened.sum();
      case "half_open" -> halfOpened.sum();
      default -> closed.sum();
    };
  }

  /** How many tracked targets are in a state now ("closed", "open", "half_open"), for /metrics. */
  public long inState(String state) {
    return byTarget.asMap().values().stream().filter(b -> name(b.cb.getState()).equals(state)).count();
  }

  /** Every tracked target's state, for /health and the admin API: {"main/gpt-4o":"open"}. */
  public ObjectNode states(String providerPrefix) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    byTarget.asMap().entrySet().stream()
        .filter(e -> providerPrefix == null || e.getKey().startsWith(providerPrefix + "/"))
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> o.put(e.getKey(), name(e.getValue().cb.getState())));
    return o;
  }

  private static String name(CircuitBreaker.State s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  /** One target's breaker, noting each state it moves to. */
  final class Breaker {
    private final CircuitBreaker cb;
    private final AtomicReference<CircuitBreaker.State> seen = new AtomicReference<>(CircuitBreaker.State.CLOSED);
    private final java.util.concurrent.atomic.AtomicLong lastForced = new java.util.concurrent.atomic.AtomicLong(
        System.nanoTime() - FORCED_PROBE_GAP);

    private Breaker(CircuitBreaker cb) {
      this.cb = cb;
    }

    boolean open() {
      return cb.getState() == CircuitBreaker.State.OPEN;
    }

    /** Whether a call may go now; a true answer must be followed by exactly one of the outcomes below. */
    boolean tryAcquire() {
      boolean ok = cb.tryAcquirePermission();
      noteState();
      return ok;
    }

    /**
     * Every target of a model is open: this one gets a probe rather than the model failing for everyone, at most
     * one a second, so a model with one dead target is not called once per request.
     */
    boolean forceProbe() {
      long last = lastForced.get();
      long now = System.nanoTime();
      if (now - last < FORCED_PROBE_GAP || !lastForced.compareAndSet(last, now)) {
        return false;
      }
      if (cb.getState() == CircuitBreaker.State.OPEN) {
        cb.transitionToHalfOpenState();
      }
      return tryAcquire();
    }

    void succeeded(long nanos) {
      cb.onSuccess(nanos, TimeUnit.NANOSECONDS);
      noteState();
    }

    void failed(long nanos, Throwable why) {
      cb.onError(nanos, TimeUnit.NANOSECONDS, why);
      noteState();
    }

    void ignored() {
      cb.releasePermission();
    }

    private void noteState() {
      CircuitBreaker.State now = cb.getState();
      CircuitBreaker.State before = seen.get();
      if (now != before && seen.compareAndSet(before, now)) {
        switch (now) {
          case OPEN -> opened.increment();
          case HALF_OPEN -> halfOpened.increment();
          case CLOSED -> closed.increment();
          default -> { }
        }
      }
    }
  }
}
