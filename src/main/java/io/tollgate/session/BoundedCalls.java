package io.tollgate.session;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.persistence.OutageWatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature's calls to the database (sessions, stored responses), each on a worker and waited for at most
 * {@link #WAIT}, so a database that hangs holds a worker, never a request thread (the driver has no socket timeout
 * by default). For a second after a call failed the next ones fail at once, without asking (and without piling up
 * workers on a hung database). One warning when calls start failing, one line when they work again.
 */
public final class BoundedCalls {
  /** As long as a key lookup may wait (auth/KeyLookups): a client gets its 503 in the same time. */
  public static final Duration WAIT = Duration.ofSeconds(2);

  private final Executor workers;
  private final Duration wait;
  private final OutageWatch outage;
  private final String unchanged;

  BoundedCalls(Executor workers, Duration wait) {
    this(LoggerFactory.getLogger(BoundedCalls.class), "session", workers, wait,
        "the session holds what it held before this request.");
  }

  /**
   * Calls of {@code feature} ("session"), whose outage goes to {@code log}; {@code unchanged} tells a refused client
   * what the failed call left as it was.
   */
  public BoundedCalls(Logger log, String feature, Executor workers, Duration wait, String unchanged) {
    this.workers = workers;
    this.wait = wait;
    this.unchanged = unchanged;
    this.outage = new OutageWatch(log, feature + " reads and writes fail ({}): " + feature + " requests get 503"
        + " until the database answers", feature + " reads and writes work again");
  }

  /** The call's result within the wait, on this thread; a 503 saying {@code what} cannot be done, otherwise. */
  public <T> T await(String what, Supplier<T> call) {
    CompletableFuture<T> done = start(what, call);
    try {
      return done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failed(what, e.getCause());
    } catch (TimeoutException e) {
      throw failed(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(what);
    }
  }

  /** The call on a worker; the stage fails with a 503 when it fails or takes longer than the wait. */
  public <T> CompletableFuture<T> start(String what, Supplier<T> call) {
    if (outage.failingLately()) {
      return CompletableFuture.failedFuture(unavailable(what));
    }
    return CompletableFuture.supplyAsync(call, workers).orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
        .handle((result, error) -> {
          if (error != null) {
            throw failed(what, error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
          }
          outage.worked();
          return result;
        });
  }

  private GatewayException failed(String what, Throwable failure) {
    if (failure instanceof GatewayException g) {
      return g; // the call's own answer (a conflict, say), not the database's failure
    }
    // The exception's class only: a driver's message may name hosts and users.
    outage.failed(failure instanceof TimeoutException ? "no answer within " + wait.toMillis() + " ms"
        : failure.getClass().getSimpleName());
    return unavailable(what);
  }

  private GatewayException unavailable(String what) {
    return GatewayException.of(ErrorType.SERVICE_UNAVAILABLE, what + " right now: the gateway's database does not"
        + " answer. Try again shortly; " + unchanged);
  }
}
