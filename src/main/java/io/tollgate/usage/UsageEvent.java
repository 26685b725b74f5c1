package io.tollgate.usage;

import java.time.Instant;

/**
 * One row of the request log. Nullable: keyId, keyName, model, provider, upstreamModel, ttfbMs, tokens, error.
 */
public record UsageEvent(
    Instant time,
    String requestId,
    Long keyId,
    String keyName,
    String method,
    String path,
    String model,
    String provider,
    String upstreamModel,
    boolean stream,
    int status,
    long latencyMs,
    Long ttfbMs,
    Integer promptTokens,
    Integer completionTokens,
    String error) {
}
