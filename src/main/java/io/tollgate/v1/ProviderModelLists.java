package io.tollgate.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.provider.AdapterRegistry;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.routing.Provider;
import java.time.Duration;
import java.util.ArrayList;
import io.tollgate.config.Secret;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Providers' own model lists, each kept for the cache period. A listing that failed is kept too, for a shorter
 * while, so a provider that cannot list is asked (and warned about) once per period, not on every call.
 */
final class ProviderModelLists {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderModelLists.class);
  private static final Duration FAILURE_TTL = Duration.ofSeconds(30);

  /** The {@code data} items of a provider's list; none, and why, when the listing failed. */
  record Listing(List<JsonNode> models, GatewayException failure) {
    boolean failed() {
      return failure != null;
    }
  }

  private final AdapterRegistry adapters;
  private final Function<Provider, Optional<Secret>> credentials;
  private final Duration upstreamWait;
  private final Duration failedFor;
  private final Cache<String, Listing> cache;

  ProviderModelLists(AdapterRegistry adapters, Duration upstreamWait, Duration ttl) {
    this(adapters, p -> p.apiKeys().stream().findFirst(), upstreamWait, ttl);
  }

  /** {@code credentials}: the key a listing of a provider uses (never a disabled one), or none. */
  ProviderModelLists(AdapterRegistry adapters, Function<Provider, Optional<Secret>> credentials,
      Duration upstreamWait, Duration ttl) {
    this.adapters = adapters;
    this.credentials = credentials;
    this.upstreamWait = upstreamWait;
    this.failedFor = ttl.compareTo(FAILURE_TTL) < 0 ? ttl : FAILURE_TTL;
    long okNanos = ttl.toNanos();
    long failedNanos = failedFor.toNanos();
    this.cache = Caffeine.newBuilder().maximumSize(1000).expireAfter(new Expiry<String, Listing>() {
      @Override
      public long expireAfterCreate(String key, Listing value, long currentTime) {
        return value.failed() ? failedNanos : okNanos;
      }

      @Override
      public long expireAfterUpdate(String key, Listing value, long currentTime, long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
      }

      @Override
      public long expireAfterRead(String key, Listing value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    }).build();
  }

  List<JsonNode> of(Provider provider) {
    return listing(provider).models();
  }

  Listing listing(Provider provider) {
    return cache.get(provider.name(), name -> fetch(provider));
  }

  /** Forgets every list, for when providers changed. */
  void clear() {
    cache.invalidateAll();
  }

  private Listing fetch(Provider p) {
    Route route = new Route("*", p.name(), p.type(), p.baseUrl(), "*",
        credentials.apply(p).orElse(null), p.passthrough(), p.options(), null, p.link());
    try {
      JsonNode list = adapters.forType(p.type()).listModels(route)
          .get(upstreamWait.toMillis(), TimeUnit.MILLISECONDS);
      List<JsonNode> models = new ArrayList<>();
      list.path("data").forEach(models::add);
      return new Listing(List.copyOf(models), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(p, UpstreamErrors.map(e, route));
    } catch (TimeoutException e) {
      return failed(p, GatewayException.of(ErrorType.UPSTREAM_TIMEOUT,
          "The upstream provider '" + p.name() + "' did not list its models in time."));
    } catch (ExecutionException e) {
      return failed(p, UpstreamErrors.map(e.getCause(), route));
    } catch (RuntimeException e) {
      return failed(p, UpstreamErrors.map(e, route));
    }
  }

  private Listing failed(Provider p, GatewayException why) {
    LOG.warn("could not list the models of provider {} (not asked again for {} s): {}", p.name(),
        failedFor.toSeconds(), why.getMessage());
    return new Listing(List.of(), why);
  }
}
