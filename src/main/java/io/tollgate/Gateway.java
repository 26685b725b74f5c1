package io.tollgate;

import io.tollgate.auth.ApiKeyAuthenticator;
import io.tollgate.config.GatewayConfig;
import io.tollgate.lifecycle.Drain;
import io.tollgate.lifecycle.Readiness;
import io.tollgate.limits.LimitGate;
import io.tollgate.metrics.GatewayMetrics;
import io.tollgate.persistence.AuditRepository;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.ModelRepository;
import io.tollgate.persistence.PriceRepository;
import io.tollgate.persistence.ProviderRepository;
import io.tollgate.persistence.UserRepository;
import io.tollgate.cost.PriceTable;
import io.tollgate.sync.ChangeFeed;
import io.tollgate.failover.Failover;
import io.tollgate.provider.AdapterRegistry;
import io.tollgate.routing.ModelTable;
import io.tollgate.routing.Provider;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.routing.ModelTables;
import io.tollgate.routing.Router;
import io.tollgate.usage.RequestLogWriter;
import io.tollgate.usage.UsageQueries;
import jakarta.servlet.ServletContext;
import java.util.Set;

/** The services the composition root built, handed to filters, servlets and resources through the context. */
public record Gateway(GatewayConfig config, Router router, AdapterRegistry adapters, ApiKeyAuthenticator auth,
    RequestLogWriter logWriter, ClientKeyRepository keys, ProviderRepository providers, ModelRepository models,
    PriceRepository priceRepository, PriceTable prices, ChangeFeed changes, Failover failover,
    UpstreamClient upstream, LimitGate limits, String version, UsageQueries usageQueries, UserRepository users,
    AuditRepository audit, Drain drain, Readiness readiness, GatewayMetrics metrics) {

  public static final String ATTRIBUTE = "io.tollgate.gateway";

  public static Gateway from(ServletContext context) {
    Gateway g = (Gateway) context.getAttribute(ATTRIBUTE);
    if (g == null) {
      throw new IllegalStateException("the gateway did not start; see the log for the reason");
    }
    return g;
  }

  /** Rebuilds the routing snapshot from the database, so the next request sees a change made through the admin API. */
  public void reloadRouting() {
    ModelTable table = ModelTables.load(providers, models, config.quickStart(), config.models().actualName(),
        config.upstream().quickStartOptions());
    failover.pools().sync(table.providers().values());
    router.replace(table);
    upstream.retain(table.providers().values().stream().map(Provider::link).toList());
  }

  /** Provider names routing knows without a row of their own: echo, and the quick start's upstream. */
  public Set<String> builtInProviders() {
    return config.quickStart().enabled() ? Set.of(ModelTables.ECHO, ModelTables.QUICK_START_PROVIDER)
        : Set.of(ModelTables.ECHO);
  }

  /** A provider name the database may not hold, because routing would put its own in its place. */
  public String reservedProviderName() {
    return config.quickStart().enabled() ? ModelTables.QUICK_START_PROVIDER : null;
  }
}
