package io.tollgate.usage;

import io.tollgate.trace.TraceContext;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of the request log. Nullable: keyId, keyName, model, provider, upstreamModel, ttfbMs, tokens, error,
 * attemptLog, userId, cachedTokens, reasoningTokens, costUsd, usageSource, cacheStatus
 * ('hit' or 'miss', null when the cache was not asked), bodies (only with LOG_BODIES). {@code attempts} is how
 * many upstream calls the request made (0 for none); {@code attemptLog} lists them as JSON when there was more
 * than one, or one that failed. {@code trace}: the request's W3C trace (null in rows made without a request).
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
    String error,
    int attempts,
    String attemptLog,
    Long userId,
    Integer cachedTokens,
    Integer reasoningTokens,
    BigDecimal costUsd,
    String usageSource,
    String cacheStatus,
    LoggedBodies bodies,
    TraceContext trace) {

  public UsageEvent(Instant time, String requestId, Long keyId, String keyName, String method, String path,
      String model, String provider, String upstreamModel, boolean stream, int status, long latencyMs, Long ttfbMs,
      Integer promptTokens, Integer completionTokens, String error, int attempts, String attemptLog, Long userId,
      Integer cachedTokens, Integer reasoningTokens, BigDecimal costUsd, String usageSource, String cacheStatus,
      LoggedBodies bodies) {
    this(time, requestId, keyId, keyName, method, path, model, provider, upstreamModel, stream, status, latencyMs,
        ttfbMs, promptTokens, completionTokens, error, attempts, attemptLog, userId, cachedTokens, reasoningTokens,
        costUsd, usageSource, cacheStatus, bodies, null);
  }

  /** Its trace id, or null. */
  public String traceId() {
    return trace == null ? null : trace.traceId();
  }

  public UsageEvent(Instant time, String requestId, Long keyId, String keyName, String method, String path,
      String model, String provider, String upstreamModel, boolean stream, int status, long latencyMs, Long ttfbMs,
      Integer promptTokens, Integer completionTokens, String error, int attempts, String attemptLog, Long userId,
      Integer cachedTokens, Integer reasoningTokens, BigDecimal costUsd, String usageSource, String cacheStatus) {
    this(time, requestId, keyId, keyName, method, path, model, provider, upstreamModel, stream, status, latencyMs,
        ttfbMs, promptTokens, completionTokens, error, attempts, attemptLog, userId, cachedTokens, reasoningTokens,
        costUsd, usageSource, cacheStatus, null);
  }

  public UsageEvent(Instant time, String requestId, Long keyId, String keyName, String method, String path,
      String model, String provider, String upstreamModel, boolean stream, int status, long latencyMs, Long ttfbMs,
      Integer promptTokens, Integer completionTokens, String error, int attempts, String attemptLog, Long userId,
      Integer cachedTokens, Integer reasoningTokens, BigDecimal costUsd, String usageSource) {
    this(time, requestId, keyId, keyName, method, path, model, provider, upstreamModel, stream, status, latencyMs,
        ttfbMs, promptTokens, completionTokens, error, attempts, attemptLog, userId, cachedTokens, reasoningTokens,
        costUsd, usageSource, null);
  }

  public UsageEvent(Instant time, String requestId, Long keyId, String keyName, String method, String path,
      String model, String provider, String upstreamModel, boolean stream, int status, long latencyMs, Long ttfbMs,
      Integer promptTokens, Integer completionTokens, String error, int attempts, String attemptLog) {
    this(time, requestId, keyId, keyName, method, path, model, provider, upstreamModel, stream, status, latencyMs,
        ttfbMs, promptTokens, completionTokens, error, attempts, attemptLog, null, null, null, null, null);
  }

  public UsageEvent(Instant time, String requestId, Long keyId, String keyName, String method, String path,
      String model, String provider, String upstreamModel, boolean stream, int status, long latencyMs, Long ttfbMs,
      Integer promptTokens, Integer completionTokens, String error) {
    this(time, requestId, keyId, keyName, method, path, model, provider, upstreamModel, stream, status, latencyMs,
        ttfbMs, promptTokens, completionTokens, error, 0, null);
  }
}
