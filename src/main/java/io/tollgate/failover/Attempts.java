package io.tollgate.failover;

import io.tollgate.error.GatewayException;
import io.tollgate.failover.Failure.Kind;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.routing.Plan;
import io.tollgate.routing.Plan.Candidate;
import io.tollgate.upstream.Abort;
import io.tollgate.usage.RequestLog;
import java.time.Duration;
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

  private final Failover f;
  private final Plan plan;
  private final Choices choices;
  private final RequestLog log;
  private final long started = System.nanoTime();
  private final long deadline;
  private Exchange exchange;
  private Consumer<GatewayException> giveUp;

  // The current attempt, and what the attempts so far left; guarded by this.
  private Choices.Choice current;
  private Route route;
  private Abort abort;
  private long attemptStarted;
  private boolean settled = true;
  private Choices.Choice next;
  private ScheduledFuture<?> pending;
  private int retries;
  private final Failures failures = new Failures();
  private volatile boolean cancelled;
  private boolean finished;

  Attempts(Failover f, Plan plan, String callerToken, String session, RequestLog log) {
    this.f = f;
    this.plan = plan;
    this.choices = new Choices(f.pools, f.breakers, plan, callerToken, session);
    this.log = log;
    this.deadline = started + f.settings.totalTimeout().toNanos();
  }

  /** Starts the first attempt; {@code giveUp} gets the client's error once no attempt is left. */
  public void run(Exchange how, Consumer<GatewayException> onGiveUp) {
    this.exchange = how;
    this.giveUp = onGiveUp;
    Choices.Choice first;
    try {
      synchronized (this) {
        first = choices.next(null, false, null);
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
    Choices.Choice again = null;
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
      failures.add(why, shown);
      if (!why.retriable(f.settings.retryOnTimeout())) {
        end = shown;
      } else if (why.kind() != Kind.REJECTED_KEY && retries >= f.settings.retryTimes()) {
        // Decided before choosing, which may take a breaker's one trial call.
        end = failures.toClient();
      } else {
        try {
          again = choices.next(current, why.kind() != Kind.CONNECTION && why.kind() != Kind.TIMEOUT
              && why.kind() != Kind.LOCAL, failures.last());
        } catch (GatewayException none) {
          end = failures.toClient();
        }
        // Another key for a refused one is free and at once; anything else is one of RETRY_TIMES, after a backoff
        // unless it moves a rate-limited call to a key or target not yet tried.
        boolean freeKey = again != null && why.kind() == Kind.REJECTED_KEY && again.fresh() && again.lease().pooled();
        if (again != null && !freeKey && retries >= f.settings.retryTimes()) {
          release(again);
          again = null;
          end = failures.toClient();
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
            end = failures.outOfTime(plan.publicModel(), f.settings.totalTimeout(), choices.made());
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
        Choices.Choice chosen = again;
        ScheduledFuture<?> task = f.later(() -> launchLater(chosen), delay);
        synchronized (this) {
          pending = task;
        }
      }
    }
  }

  /**
   * The client left (closed its connection, or was cut for reading nothing): {@code why} noted in the log, the
   * attempt under way stopped, and no other started.
   */
  public void clientLeft(String why) {
    log.error(why);
    cancel();
  }

  /** The attempt under way is stopped and no other starts. */
  public void cancel() {
    Abort running;
    Choices.Choice waiting;
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

  private void launchLater(Choices.Choice chosen) {
    synchronized (this) {
      if (next != chosen) {
        return; // cancelled meanwhile, and released there
      }
      next = null;
    }
    launch(chosen);
  }

  private void launch(Choices.Choice choice) {
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
          plan.capabilities(), c.provider().link().forAttempt(attemptDeadline(c), handle,
          log.trace().traceparent(), log.trace().traceState()));
      route = r;
      abort = handle;
      attemptStarted = System.nanoTime();
      settled = false;
      choices.tried(choice);
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
      choices.refused(current);
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
      f.failed(why.kind());
    }
    log.attempt(route.provider(), route.upstreamModel(), lease.index(),
        why.status() > 0 ? why.status() : shown.status(), took / 1_000_000, shown.getMessage());
  }

  private void release(Choices.Choice c) {
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

  /** Full jitter: a random wait up to the base doubled per retry, capped. */
  private long backoff(int retry) {
    long base = f.settings.retryDelay().toNanos();
    long cap = f.settings.retryMaxDelay().toNanos();
    int doublings = Math.min(30, retry - 1);
    long ceiling = base > (cap >> doublings) ? cap : base << doublings;
    return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
