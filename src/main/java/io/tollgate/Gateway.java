package io.tollgate;

import io.tollgate.auth.ApiKeyAuthenticator;
import io.tollgate.config.GatewayConfig;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.provider.AdapterRegistry;
import io.tollgate.routing.Router;
import io.tollgate.usage.UsageRecorder;
import jakarta.servlet.ServletContext;

/** The services the composition root built, handed to filters, servlets and resources through the context. */
public record Gateway(GatewayConfig config, Router router, AdapterRegistry adapters, ApiKeyAuthenticator auth,
    UsageRecorder usage, ClientKeyRepository keys, String version) {

  public static final String ATTRIBUTE = "io.tollgate.gateway";

  public static Gateway from(ServletContext context) {
    Gateway g = (Gateway) context.getAttribute(ATTRIBUTE);
    if (g == null) {
      throw new IllegalStateException("the gateway did not start; see the log for the reason");
    }
    return g;
  }
}
