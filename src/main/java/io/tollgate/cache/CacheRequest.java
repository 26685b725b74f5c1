package io.tollgate.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the cache needs of a request: its endpoint, the public model the router resolved, its parsed body, whether
 * its answer is deterministic whatever its temperature (embeddings), and whether it speaks Anthropic's dialect.
 */
public record CacheRequest(String endpoint, String resolvedModel, ObjectNode body, boolean alwaysDeterministic,
    boolean anthropic) {

  /** Deterministic mode caches only what answers the same every time: temperature exactly 0, or embeddings. */
  boolean deterministic() {
    return alwaysDeterministic || (body.path("temperature").isNumber()
        && body.path("temperature").decimalValue().signum() == 0);
  }
}
