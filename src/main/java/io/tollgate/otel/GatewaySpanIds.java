package io.tollgate.otel;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Gives the SDK the ids the gateway already chose: the request's trace id and the span id it sent upstream as the
 * parent in {@code traceparent}, so the exported span is the very span the upstream's spans point at. Set just
 * before a span is started and cleared after, by the request-log writer's thread, the only thread that starts
 * spans; any other call gets random ids.
 */
final class GatewaySpanIds implements IdGenerator {
  private static final IdGenerator RANDOM = IdGenerator.random();

  private String traceId;
  private String spanId;

  void next(String traceId, String spanId) {
    this.traceId = traceId;
    this.spanId = spanId;
  }

  void clear() {
    traceId = null;
    spanId = null;
  }

  @Override
  public String generateSpanId() {
    String id = spanId;
    return id != null ? id : RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String id = traceId;
    return id != null ? id : RANDOM.generateTraceId();
  }
}
