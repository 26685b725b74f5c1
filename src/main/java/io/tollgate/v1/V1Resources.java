package io.tollgate.v1;

import io.tollgate.Gateway;
import java.time.Duration;
import java.util.List;

/** Builds the public JAX-RS resources from the gateway's services, for the Jersey application to register. */
public final class V1Resources {
  private V1Resources() {
  }

  public static List<Object> create(Gateway gateway) {
    ProviderModelLists lists = new ProviderModelLists(gateway.adapters(), gateway.failover().pools()::anyUsable,
        shorter(gateway.config().upstream().readTimeout(), Duration.ofSeconds(15)),
        gateway.config().models().listCacheTtl());
    ModelCatalog catalog = new ModelCatalog(gateway.router(), lists);
    return List.of(new ModelsResource(catalog),
        new RootResource(gateway.version(), gateway.logWriter(), gateway.router(), gateway.failover(),
            gateway.readiness()),
        new MetricsResource(gateway.metrics()));
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }
}
