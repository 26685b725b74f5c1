package io.tollgate.admin;

import io.tollgate.Gateway;
import io.tollgate.sync.ChangeFeed;
import java.util.List;

/**
 * Builds the admin resources: every collection shares one way of listing, changing and auditing ({@link Crud}),
 * and {@link AdminPaths} serves them all under /api/v1/admin too.
 */
public final class AdminResources {
  private AdminResources() {
  }

  public static List<Object> all(Gateway gateway) {
    Audit audit = new Audit(gateway.audit());
    RoutingWrites writes = new RoutingWrites(gateway.providers(), gateway.models(), gateway.builtInProviders(),
        gateway.reservedProviderName());
    return List.of(new AdminPaths(),
        new AdminProvidersResource(writes, gateway.failover().pools(), gateway.failover().breakers(),
            gateway.changes(), audit, gateway.router(),
            new ProviderProbe(gateway.adapters(), gateway.failover().pools())),
        new AdminModelsResource(writes, gateway.changes(), audit),
        new AdminKeysResource(gateway.keys(), gateway.users(), gateway.changes(), audit),
        new AdminUsersResource(gateway.users(), gateway.keys(), gateway.changes(), audit),
        new AdminPricesResource(gateway.priceRepository(), gateway.changes(), audit),
        new AdminAuditResource(gateway.audit()));
  }
}
