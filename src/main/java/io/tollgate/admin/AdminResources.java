package io.tollgate.admin;

import io.tollgate.Gateway;
import io.tollgate.sync.ChangeFeed;
import java.util.List;

/** Builds the admin resources for providers and models, which share one writer that rebuilds routing. */
public final class AdminResources {
  private AdminResources() {
  }

  public static List<Object> routing(Gateway gateway) {
    RoutingWrites writes = new RoutingWrites(gateway.providers(), gateway.models(), () -> gateway.changes().changed(ChangeFeed.Kind.MODELS),
        gateway.builtInProviders(), gateway.reservedProviderName());
    return List.of(new AdminProvidersResource(writes, gateway.failover().pools(), gateway.failover().breakers()),
        new AdminModelsResource(writes));
  }
}
