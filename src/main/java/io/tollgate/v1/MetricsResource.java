package io.tollgate.v1;

import io.tollgate.metrics.GatewayMetrics;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The gateway's meters for Prometheus, without a key: its text format 0.0.4, or OpenMetrics for a scraper that
 * asks for it in {@code Accept} (as Prometheus itself does).
 */
@Path("metrics")
public final class MetricsResource {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final GatewayMetrics metrics;

  MetricsResource(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @GET
  public Response metrics(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
    String type = accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
    return Response.ok(metrics.scrape(type), type).build();
  }
}
