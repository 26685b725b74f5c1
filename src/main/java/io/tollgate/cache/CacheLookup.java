package io.tollgate.cache;

import io.tollgate.auth.Caller;
import io.tollgate.config.CacheConfig;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Usage;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The cache's step on the request path, after admission and before the upstream: answer from the cache, wait for an
 * identical request's answer being produced here, or go upstream with a copy of the reply kept for the cache. Every
 * answer says which it was in {@code X-Tollgate-Cache}.
 */
public final class CacheLookup {
  public static final String HEADER = "X-Tollgate-Cache";

  private final ResponseCache cache;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final AsyncReply reply;
  private final RequestLog log;
  private final Runnable upstream;

  private CacheLookup(ResponseCache cache, HttpServletRequest request, HttpServletResponse response, AsyncReply reply,
      RequestLog log, Runnable upstream) {
    this.cache = cache;
    this.request = request;
    this.response = response;
    this.reply = reply;
    this.log = log;
    this.upstream = upstream;
  }

  /** Serves {@code what} from the cache when it may, else runs {@code upstream} (which answers through the reply). */
  public static void serve(ResponseCache cache, CacheRequest what, HttpServletRequest request,
      HttpServletResponse response, AsyncReply reply, RequestLog log, Runnable upstream) {
    new CacheLookup(cache, request, response, reply, log, upstream).serve(what);
  }

  private void serve(CacheRequest what) {
    String control = header("Cache-Control");
    boolean lookUp = !control.contains("no-cache");
    boolean store = !control.contains("no-store");
    // A session's requests are the sessions feature's to answer (a limit, see docs/CACHE.md).
    boolean session = request.getHeader("X-Session-Id") != null;
    Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
    if (cache == null || session || !cacheable(cache.config(), caller, what) || !(lookUp || store)) {
      miss();
      return;
    }
    Long owner = cache.config().shared() && !what.keyOwned() || caller == null ? null : caller.keyId();
    String hash = CacheKey.of(what.endpoint(), what.resolvedModel(), what.body(), owner);
    if (!lookUp) {
      produce(hash, owner, null);
      return;
    }
    log.cacheStatus("miss");
    CachedAnswer here = cache.findHere(hash);
    if (here != ResponseCache.SHARED) {
      // Answered from memory or missed without a round trip: on this thread, with no future in between.
      found(here, hash, owner, store, what.anthropic());
      return;
    }
    cache.findShared(hash).whenComplete((found, error) -> guarded(
        () -> found(found, hash, owner, store, what.anthropic())));
  }

  private void found(CachedAnswer found, String hash, Long owner, boolean store, boolean anthropic) {
    if (found != null) {
      hit(found, anthropic);
    } else if (store) {
      single(hash, owner, anthropic);
    } else {
      produce(hash, owner, null);
    }
  }

  /** A miss: the first request for the hash goes upstream; identical ones wait for its answer. */
  private void single(String hash, Long owner, boolean anthropic) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> other = cache.produce(hash, mine);
    if (other == null) {
      produce(hash, owner, mine);
      return;
    }
    other.copy().orTimeout(cache.longestWait().toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((v, e) -> guarded(() -> {
          CachedAnswer done = cache.local(hash);
          if (done != null) {
            hit(done, anthropic);
          } else {
            produce(hash, owner, null); // the first failed or was not storable: ask for ourselves
          }
        }), cache.workers());
  }

  /** Off the servlet's thread nothing else would answer the client: a failure here still ends the reply. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      GatewayException internal = log.internalError(e);
      log.error(internal.getMessage());
      reply.error(internal);
    }
  }

  /** Goes upstream, keeping a copy of the reply; {@code flight} (if any) ends with it either way. */
  private void produce(String hash, Long owner, CompletableFuture<Void> flight) {
    if ("miss".equals(log.cacheStatus())) {
      cache.counted(false);
    }
    if (flight != null || !header("Cache-Control").contains("no-store")) {
      reply.tap(new CacheTap(cache.config().maxEntryBytes(), answer -> {
        if (answer != null) {
          cache.store(hash, owner, answer);
        }
        if (flight != null) {
          cache.produced(hash, flight);
        }
      }));
    }
    miss();
  }

  private void hit(CachedAnswer answer, boolean anthropic) {
    // Nothing was spent upstream: zero tokens and zero cost, so a limit's reservation settles at nothing.
    log.cacheStatus("hit");
    cache.counted(true);
    log.usage(new Usage(0, 0));
    log.cost(BigDecimal.ZERO);
    log.tally().settle();
    log.firstByte();
    response.setHeader(HEADER, "hit");
    CacheReplay.send(answer, reply, anthropic);
  }

  private void miss() {
    response.setHeader(HEADER, "miss");
    upstream.run();
  }

  /** CACHE_MODE, or the key's own cache_mode when it has one. */
  private static boolean cacheable(CacheConfig config, Caller caller, CacheRequest what) {
    String own = caller == null ? null : caller.policy().cacheMode();
    if (!config.enabled()) {
      return false;
    }
    if (own == null) { // the global mode, without a string per request
      return config.mode() == CacheConfig.Mode.ALL || what.deterministic();
    }
    return "all".equals(own) || "deterministic".equals(own) && what.deterministic();
  }

  private String header(String name) {
    String value = request.getHeader(name);
    return value == null ? "" : value.toLowerCase(Locale.ROOT);
  }
}
