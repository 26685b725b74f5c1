package io.tollgate.failover;

import io.tollgate.config.Secret;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Failure.Kind;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.routing.Plan;
import io.tollgate.routing.Plan.Candidate;
import io.tollgate.upstream.Abort;
import io.tollgate.usage.RequestLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The attempts of one request, until one answers or none is left. Each attempt gets a target (best priority
 * first, spread by weight, skipping targets whose breaker is open) and a key of its provider's pool. A failure
 * that another attempt may absorb is retried: a refused key at once on another key; anything else after a
 * full-jitter backoff, up to RETRY_TIMES retries, on a key not yet tried, then on a target not yet tried (a failed
 * connection goes straight to another target, since every key of a target shares its host). Nothing is retried once
 * the answer has begun, and all attempts together end by the request's deadline.
 *
 * <p>Its methods are called from whichever thread the upstream answers on, the retry timer, and the client's
 * thread when it leaves. The monitor guards this request's state and the bookkeeping of its keys, breakers and log;
 * no reply is written and no exchange is started or aborted while it is held, so it never meets the reply's lock.
 */
public final class Attempts {
  /** Starts one attempt on a route; its outcome comes back through {@link #began} or {@link #failed}. */
  public interface Exchange {
    void start(Route route);
  }

  private record Choice(Candidate candidate, KeyLease lease, Breakers.Breaker breaker, boolean fresh) {
  }

  private record Tried(Candidate candidate, Integer key) {
  }

  /** Keys refused during this request: never asked again by it, even once their re-check time has come. */
  private final List<Tried> refused = new ArrayList<>(1);

  private final Failover f;
  private final Plan plan;
  private final String callerToken;
  private final String session;
  private final RequestLog log;
  private final long started = System.nanoTime();
  private final long deadline;
  private final List<Tried> tried = new ArrayList<>(2);
  private Exchange exchange;
  private Consumer<GatewayException> giveUp;

  // The current attempt, and what the attempts so far left; guarded by this.
  private Choice current;
  private Route route;
  private Abort abort;
  private long attemptStarted;
  private boolean settled = true;
  private Choice next;
  private ScheduledFuture<?> pending;
  private int retries;
  private GatewayException last;
  private boolean onlyRateLimited = true;
  private Duration shortestWait;
  private volatile boolean cancelled;
  private boolean finished;

  Attempts(Failover f, Plan plan, String callerToken, String session, RequestLog log) {
    this.f = f;
    this.plan = plan;
    this.callerToken = callerToken;
    this.session = session;
    this.log = log;
    this.deadline = started + f.settings.totalTimeout().toNanos();
  }

  /** Starts the first attempt; {@code giveUp} gets the client's error once no attempt is left. */
  public void run(Exchange how, Consumer<GatewayException> onGiveUp) {
    this.exchange = how;
    this.giveUp = onGiveUp;
    Choice first;
    try {
      synchronized (this) {
        first = choose(false);
      }
    } catch (GatewayException e) {
      finish(e);
      return;
    }
    launch(first);
  }

  /** The route of the attempt under way (or the last one). */
  public synchronized Route route() {
    return route;
  }

  /** The current attempt's answer began: it is the answer, whatever follows. */
  public void began() {
    synchronized (this) {
      if (settled) {
        return;
      }
      settled = true;
      long took = System.nanoTime() - attemptStarted;
      current.lease().release(KeyLease.Outcome.SUCCESS, null, 0);
      current.breaker().succeeded(took);
      log.attempt(route.provider(), route.upstreamModel(), current.lease().index(), 200, took / 1_000_000, null);
    }
  }

  /** The current attempt failed before its answer began: another attempt follows, or the client gets the error. */
  public void failed(Throwable error) {
    Choice again = null;
    long delay = 0;
    GatewayException end = null;
    synchronized (this) {
      if (settled) {
        return;
      }
      settled = true;
      Failure why = Failure.of(error, route.passthrough());
      GatewayException shown = UpstreamErrors.map(error, route);
      settle(why, shown);
      if (cancelled) {
        return;
      }
      last = shown;
      if (why.kind() == Kind.RATE_LIMITED) {
        if (why.retryAfter() != null && (shortestWait == null || why.retryAfter().compareTo(shortestWait) < 0)) {
          shortestWait = why.retryAfter();
        }
      } else {
        onlyRateLimited = false;
      }
      if (!why.retriable(f.settings.retryOnTimeout())) {
        end = shown;
      } else if (why.kind() != Kind.REJECTED_KEY && retries >= f.settings.retryTimes()) {
        // Decided before choosing, which may take a breaker's one trial call.
        end = finalError();
      } else {
        try {
          again = choose(why.kind() != Kind.CONNECTION && why.kind() != Kind.TIMEOUT && why.kind() != Kind.LOCAL);
        } catch (GatewayException none) {
          end = finalError();
        }
        // Another key for a refused one is free and at once; anything else is one of RETRY_TIMES, after a backoff
        // unless it moves a rate-limited call to a key or target not yet tried.
        boolean freeKey = again != null && why.kind() == Kind.REJECTED_KEY && again.fresh() && again.lease().pooled();
        if (again != null && !freeKey && retries >= f.settings.retryTimes()) {
          release(again);
          again = null;
          end = finalError();
        }
        if (again != null) {
          boolean atOnce = freeKey || (why.kind() == Kind.RATE_LIMITED && again.fresh());
          if (!freeKey) {
            retries++;
          }
          delay = atOnce ? 0 : backoff(retries);
          if (System.nanoTime() + delay - deadline >= 0) {
            release(again);
            again = null;
            end = outOfTime();
          } else if (delay > 0) {
            next = again;
          }
        }
      }
    }
    if (end != null) {
      finish(end);
    } else if (again != null) {
      f.retries.increment();
      if (delay == 0) {
        launch(again);
      } else {
        Choice chosen = again;
        ScheduledFuture<?> task = f.later(() -> launchLater(chosen), delay);
        synchronized (this) {
          pending = task;
        }
      }
    }
  }

  /** The client left: noted in the log, the attempt under way stopped, and no other started. */
  public void clientLeft() {
    log.error("client closed the connection");
    cancel();
  }

  /** The attempt under way is stopped and no other starts. */
  public void cancel() {
    Abort running;
    Choice waiting;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      running = abort; // also once begun: a stream goes on after its answer began
      waiting = next;
      next = null;
      if (pending != null) {
        pending.cancel(false);
      }
    }
    if (waiting != null) {
      release(waiting);
    }
    if (running != null) {
      running.fire();
    }
  }

  private void launchLater(Choice chosen) {
    synchronized (this) {
      if (next != chosen) {
        return; // cancelled meanwhile, and released there
      }
      next = null;
    }
    launch(chosen);
  }

  private void launch(Choice choice) {
    Abort handle = new Abort();
    Route r;
    synchronized (this) {
      if (cancelled) {
        release(choice);
        return;
      }
      current = choice;
      Candidate c = choice.candidate();
      r = new Route(plan.publicModel(), c.provider().name(), c.provider().type(), c.provider().baseUrl(),
          c.upstreamModel(), choice.lease().credential(), c.provider().passthrough(), c.provider().options(),
          plan.capabilities(), c.provider().link().forAttempt(attemptDeadline(c), handle));
      route = r;
      abort = handle;
      attemptStarted = System.nanoTime();
      settled = false;
      tried.add(new Tried(c, choice.lease().index()));
    }
    log.route(r);
    try {
      exchange.start(r);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private long attemptDeadline(Candidate c) {
    Duration own = c.provider().link().totalTimeout();
    return own == null ? deadline : Math.min(deadline, started + own.toNanos());
  }

  /** Records the attempt's end in its key, its breaker, the log and the counters. */
  private void settle(Failure why, GatewayException shown) {
    long took = System.nanoTime() - attemptStarted;
    KeyLease lease = current.lease();
    if (why.kind() == Kind.REJECTED_KEY) {
      refused.add(new Tried(current.candidate(), lease.index()));
    }
    switch (why.kind()) {
      case REJECTED_KEY -> lease.release(KeyLease.Outcome.REJECTED, "HTTP " + why.status() + " at "
          + java.time.Instant.now(), 0);
      case RATE_LIMITED -> lease.release(KeyLease.Outcome.RATE_LIMITED, "HTTP 429",
          why.retryAfter() == null ? 0 : Math.max(1, why.retryAfter().toNanos()));
      case CANCELLED -> lease.release(KeyLease.Outcome.ABANDONED, null, 0);
      default -> lease.release(KeyLease.Outcome.FAILED, null, 0);
    }
    if (why.targetFailed()) {
      current.breaker().failed(took, shown);
    } else if (why.targetAnswered()) {
      current.breaker().succeeded(took);
    } else {
      current.breaker().ignored();
    }
    if (why.kind() != Kind.CANCELLED) {
      f.failedAttempts.increment();
    }
    log.attempt(route.provider(), route.upstreamModel(), lease.index(),
        why.status() > 0 ? why.status() : shown.status(), took / 1_000_000, shown.getMessage());
  }

  private void release(Choice c) {
    c.lease().release(KeyLease.Outcome.ABANDONED, null, 0);
    c.breaker().ignored();
  }

  private void finish(GatewayException e) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
    }
    giveUp.accept(e);
  }

  /** Every attempt ended in a 429: the client waits the shortest time any upstream asked for; else the last error. */
  private GatewayException finalError() {
    if (last == null) {
      return GatewayException.of(ErrorType.SERVICE_UNAVAILABLE, "No upstream could take the request.");
    }
    if (onlyRateLimited && last.status() == 429 && shortestWait != null) {
      long seconds = Math.max(1, (shortestWait.toMillis() + 999) / 1000);
      return GatewayException.upstream(last.type(), 429, last.getMessage(), last.param(), last.code(),
          Map.of("Retry-After", Long.toString(seconds)), last.getCause());
    }
    return last;
  }

  private GatewayException outOfTime() {
    return GatewayException.of(ErrorType.UPSTREAM_TIMEOUT, "No upstream answered the model '" + plan.publicModel()
        + "' within the request's time limit (TOTAL_TIMEOUT, " + f.settings.totalTimeout().toSeconds()
        + " s) over " + tried.size() + " attempt" + (tried.size() == 1 ? "" : "s") + "; the last said: "
        + (last == null ? "nothing" : last.getMessage()));
  }

  /** Full jitter: a random wait up to the base doubled per retry, capped. */
  private long backoff(int retry) {
    long base = f.settings.retryDelay().toNanos();
    long cap = f.settings.retryMaxDelay().toNanos();
    int doublings = Math.min(30, retry - 1);
    long ceiling = base > (cap >> doublings) ? cap : base << doublings;
    return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
  }

  /**
   * The next target and key. With {@code sameTarget}, a key of the last target not yet tried comes first; then
   * the best priority's targets not yet tried, by weight; then targets already tried. When every breaker refuses,
   * one target gets a probe anyway.
   */
  private Choice choose(boolean sameTarget) {
    if (sameTarget && current != null) {
      Choice c = onTarget(current.candidate());
      if (c != null) {
        return c;
      }
    }
    List<Candidate> openBreakers = new ArrayList<>(2);
    boolean keysGone = false;
    for (int pass = 0; pass < 2; pass++) {
      List<Candidate> all = plan.candidates();
      for (int from = 0; from < all.size(); ) {
        int to = from;
        while (to < all.size() && all.get(to).priority() == all.get(from).priority()) {
          to++;
        }
        List<Candidate> group = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          if (pass == 1 || !triedTarget(all.get(i))) {
            group.add(all.get(i));
          }
        }
        while (!group.isEmpty()) {
          Candidate c = pick(group);
          group.remove(c);
          Breakers.Breaker b = f.breakers.of(c.target());
          if (!b.tryAcquire()) {
            if (!openBreakers.contains(c)) {
              openBreakers.add(c);
            }
            continue;
          }
          KeyLease lease = lease(c, pass == 1);
          if (lease == null) {
            b.ignored();
            keysGone = true;
            continue;
          }
          return new Choice(c, lease, b, !tried.contains(new Tried(c, lease.index())));
        }
        from = to;
      }
    }
    for (Candidate c : openBreakers) {
      Breakers.Breaker b = f.breakers.of(c.target());
      if (b.open() && b.forceProbe()) {
        KeyLease lease = lease(c, true);
        if (lease != null) {
          return new Choice(c, lease, b, !tried.contains(new Tried(c, lease.index())));
        }
        b.ignored();
      }
    }
    if (last != null) {
      throw last;
    }
    if (keysGone && openBreakers.isEmpty()) {
      throw GatewayException.of(ErrorType.UPSTREAM_AUTH_ERROR, "No upstream key of the model '"
          + plan.publicModel() + "' can be used now: each was refused by its provider and is disabled, or is being"
          + " re-checked by another request. An admin can re-enable a key"
          + " (POST /admin/providers/{name}/keys/{n}/enable).");
    }
    throw GatewayException.of(ErrorType.SERVICE_UNAVAILABLE, "Every upstream of the model '" + plan.publicModel()
        + "' is failing, and a probe of it is already under way; try again in a few seconds.");
  }

  /** A key of this target not yet tried, if its breaker lets a call through. */
  private Choice onTarget(Candidate c) {
    if (c.provider().passthrough() || c.provider().apiKeys().size() < 2) {
      return null;
    }
    KeyLease lease = f.pools.pool(c.provider()).lease(session, keys(c, tried));
    if (lease == null) {
      return null;
    }
    Breakers.Breaker b = f.breakers.of(c.target());
    if (!b.tryAcquire()) {
      lease.release(KeyLease.Outcome.ABANDONED, null, 0);
      return null;
    }
    return new Choice(c, lease, b, true);
  }

  private KeyLease lease(Candidate c, boolean reuse) {
    if (c.provider().passthrough()) {
      return new KeyLease(callerSecret(c));
    }
    if (c.provider().apiKeys().isEmpty()) {
      return new KeyLease((Secret) null);
    }
    KeyPool pool = f.pools.pool(c.provider());
    KeyLease lease = pool.lease(session, keys(c, tried));
    return lease == null && reuse ? pool.lease(session, keys(c, refused)) : lease;
  }

  private Secret callerSecret(Candidate c) {
    if (callerToken == null || callerToken.isBlank()) {
      throw GatewayException.of(ErrorType.MISSING_API_KEY, "provider " + c.provider().name()
          + " uses the caller's own upstream key: send it as 'Authorization: Bearer <key>'");
    }
    String token = callerToken.strip();
    if (c.provider().stripSkPrefix() && token.startsWith("sk-")) {
      token = token.substring(3);
    }
    return Secret.of(token);
  }

  private static Set<Integer> keys(Candidate c, List<Tried> attempts) {
    Set<Integer> keys = null;
    for (Tried t : attempts) {
      if (t.candidate().equals(c) && t.key() != null) {
        if (keys == null) {
          keys = new HashSet<>();
        }
        keys.add(t.key());
      }
    }
    return keys == null ? Set.of() : keys;
  }

  private boolean triedTarget(Candidate c) {
    for (Tried t : tried) {
      if (t.candidate().equals(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A target by weight: at random, or, for a session, the same one each time while the group is the same
   * (weighted rendezvous hashing), so the upstream's prompt cache keeps hitting.
   */
  private Candidate pick(List<Candidate> group) {
    if (group.size() == 1) {
      return group.get(0);
    }
    if (session != null) {
      Candidate best = null;
      double bestScore = Double.MAX_VALUE;
      for (Candidate c : group) {
        long h = mix((session.hashCode() * 31L) ^ c.target().hashCode());
        double u = ((h >>> 11) + 1) / (double) (1L << 53);
        double score = -Math.log(u) / c.weight();
        if (score < bestScore) {
          bestScore = score;
          best = c;
        }
      }
      return best;
    }
    int total = 0;
    for (Candidate c : group) {
      total += c.weight();
    }
    int r = ThreadLocalRandom.current().nextInt(total);
    for (Candidate c : group) {
      r -= c.weight();
      if (r < 0) {
        return c;
      }
    }
    return group.get(group.size() - 1);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
