package io.tollgate.limits;

import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyPolicy;
import io.tollgate.cost.PriceTable;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a request of a key may go upstream, for the OpenAI and the Anthropic front
 * ends alike: it takes from every counter that applies (the key's rates, each matching model entry's, the
 * quotas) or from none, and hands back an {@link Admission} that carries the rate headers and settles tokens and
 * money on the real usage. Keys without limits cost nothing here. Counters live in {@link Bucket}s, which reserve
 * slices of the shared counters in the database; a request waits for the database only when its slice is spent,
 * and then at most {@link #MAX_WAIT}.
 */
public final class LimitGate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LimitGate.class);
  static final Duration MAX_WAIT = Duration.ofSeconds(2);
  private static final long PRUNE_EVERY_SECONDS = 600;

  private final SharedCounters counters;
  private final Executor executor;
  private final PriceTable prices;
  private final LongSupplier clock;
  private final Map<CounterKey, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastPrune = new AtomicLong();

  public LimitGate(DataSource dataSource, String vendor, Executor executor, PriceTable prices) {
    this(new SharedCounters(dataSource, vendor), executor, prices, () -> System.currentTimeMillis() / 1000);
  }

  LimitGate(SharedCounters counters, Executor executor, PriceTable prices, LongSupplier clock) {
    this.counters = counters;
    this.executor = executor;
    this.prices = prices;
    this.clock = clock;
    this.lastPrune.set(clock.getAsLong());
  }

  /**
   * Admits the request or throws the 429 (or, for a quota the database cannot vouch for, a 503) it gets instead.
   * Blocks only while a spent slice is refilled, at most {@link #MAX_WAIT}.
   */
  public Admission admit(Caller caller, String model, Demand demand) {
    if (caller == null || caller.keyId() == null || !Needs.any(caller.policy())) {
      return Admission.NONE;
    }
    long now = clock.getAsLong();
    pruneNowAndThen(now);
    KeyPolicy policy = caller.policy();
    BigDecimal price = estimateUsd(policy, model, demand);
    List<Need> needs = Needs.of(this::bucketOf, caller.keyId(), policy, model,
        demand, price == null ? 0 : micros(price), now);
    List<Need> held = takeAll(needs, now);
    return new Admission(held, RateHeaders.of(needs, now));
  }

  /** DB statements sent so far, for the metrics page and tests that count round trips per request. */
  public long roundTrips() {
    return counters.roundTrips();
  }

  /** Hands this instance's unused slices back, so a stop does not eat into quotas that never reset. */
  @Override
  public void close() {
    for (Bucket bucket : buckets.values()) {
      long left = bucket.drain();
      if (left > 0) {
        try {
          counters.giveBack(bucket.key(), bucket.window(), left);
        } catch (Exception e) {
          LOG.warn("could not hand back {} of the {} counter of key {}: {}", left, bucket.key().metric().column(),
              bucket.key().keyId(), e.toString());
          return; // the database is gone; the rest would fail the same way
        }
      }
    }
  }

  static long micros(BigDecimal usd) {
    return usd.multiply(Needs.MICROS).setScale(0, RoundingMode.CEILING).longValue();
  }

  private Bucket bucketOf(CounterKey key) {
    Bucket bucket = buckets.get(key); // no bin lock on the common path
    return bucket != null ? bucket : buckets.computeIfAbsent(key, k -> new Bucket(k, counters, executor));
  }

  private BigDecimal estimateUsd(KeyPolicy policy, String model, Demand demand) {
    if (policy.quota() == null || policy.quota().usd() == null || !demand.countsTokens() || model == null) {
      return null;
    }
    return prices.priceOf(model).map(p -> PriceTable.cost(p,
        new Usage((int) Math.min(Integer.MAX_VALUE, demand.promptTokens()),
            (int) Math.min(Integer.MAX_VALUE, demand.outputTokens())))).orElse(null);
  }

  /** Takes from every counter or from none; what a failing-open counter could not take is simply not held. */
  private List<Need> takeAll(List<Need> needs, long now) {
    List<Need> held = new ArrayList<>(needs.size());
    List<Need> open = new ArrayList<>(needs);
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    // Each round waits for a fetch, so this never spins; near a limit another request may get the slice first.
    while (!open.isEmpty()) {
      List<CompletableFuture<Void>> fetches = new ArrayList<>();
      List<Need> waiting = new ArrayList<>();
      for (Need need : open) {
        Bucket.Take take = need.take();
        switch (take.kind()) {
          case TAKEN -> held.add(need);
          case WAIT -> {
            waiting.add(need);
            fetches.add(take.fetch());
          }
          case REFUSED -> throw refused(held, need, needs, now);
          case UNAVAILABLE -> unavailable(held, need);
        }
      }
      open = waiting;
      if (fetches.isEmpty()) {
        break;
      }
      if (System.nanoTime() - deadline >= 0) {
        // The database answers, but other requests keep getting the slices first: this counter is at its edge.
        throw refused(held, open.get(0), needs, now);
      }
      if (!await(fetches, deadline)) {
        break; // the database did not answer in time: each counter's failure policy decides below
      }
    }
    for (Need need : open) {
      unavailable(held, need);
    }
    return held;
  }

  private static boolean await(List<CompletableFuture<Void>> fetches, long deadline) {
    try {
      CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void unavailable(List<Need> held, Need need) {
    if (need.metric().failOpen()) {
      return;
    }
    held.forEach(Need::giveBack);
    throw GatewayException.of(ErrorType.SERVICE_UNAVAILABLE,
        "This key's " + need.metric().description() + " cannot be checked right now; try again shortly.");
  }

  private static GatewayException refused(List<Need> held, Need need, List<Need> all, long now) {
    held.forEach(Need::giveBack);
    Map<String, String> headers = new java.util.LinkedHashMap<>(RateHeaders.of(all, now));
    long wait = need.window().secondsLeft(now);
    if (wait > 0) {
      headers.put("Retry-After", Long.toString(wait));
    }
    String where = need.scope().isEmpty() ? "this key" : "this key and model " + need.scope();
    if (need.metric().quota()) {
      return GatewayException.of(ErrorType.QUOTA_EXCEEDED, "The " + need.metric().description() + " of " + where
          + " is used up" + (wait > 0 ? "; it resets in " + RateHeaders.duration(wait) + "." : "."), headers);
    }
    return GatewayException.of(ErrorType.LIMIT_EXCEEDED, "Rate limit reached for " + where + ": "
        + need.metric().description() + " limit " + need.limit() + ". Try again in " + wait + "s.", headers);
  }

  private void pruneNowAndThen(long now) {
    long last = lastPrune.get();
    if (now - last >= PRUNE_EVERY_SECONDS && lastPrune.compareAndSet(last, now)) {
      executor.execute(() -> {
        try {
          counters.prune(now - 2 * 3600);
        } catch (Exception e) {
          LOG.debug("could not prune old limit windows: {}", e.toString());
        }
      });
    }
  }
}
