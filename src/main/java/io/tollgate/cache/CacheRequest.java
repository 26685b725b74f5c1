package io.tollgate.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the cache needs of a request: its endpoint, the public model the router resolved, its parsed body, whether
 * its answer is deterministic whatever its temperature (embeddings), whether it speaks Anthropic's dialect (named
 * events), and whether its answer is the key's own even when {@code CACHE_SHARED} is on: a stored response's id
 * belongs to the key that made it, so another key must not be handed it.
 */
public record CacheRequest(String endpoint, String resolvedModel, ObjectNode body, boolean alwaysDeterministic,
    boolean anthropic, boolean keyOwned) {

  public CacheRequest(String endpoint, String resolvedModel, ObjectNode body, boolean alwaysDeterministic,
      boolean anthropic) {
    this(endpoint, resolvedModel, body, alwaysDeterministic, anthropic, false);
  }

  /** Deterministic mode caches only what answers the same every time: temperature exactly 0, or embeddings. */
  boolean deterministic() {
    return alwaysDeterministic || (body.path("temperature").isNumber()
        && body.path("temperature").decimalValue().signum() == 0);
  }
}
