package io.tollgate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.admin.AdminCacheResource;
import io.tollgate.admin.AdminResources;
import io.tollgate.cache.ResponseCache;
import io.tollgate.admin.stats.LogsResource;
import io.tollgate.admin.stats.StatsResource;
import io.tollgate.docs.OpenApiResource;
import io.tollgate.error.GatewayExceptionMapper;
import io.tollgate.error.ThrowableMapper;
import io.tollgate.openai.Json;
import io.tollgate.session.Sessions;
import io.tollgate.inbound.responses.StoredResponses;
import io.tollgate.inbound.responses.StoredResponsesResource;
import io.tollgate.session.SessionsResource;
import io.tollgate.v1.V1Resources;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.ContextResolver;
import java.time.Clock;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The Jersey application: resources built by the composition root, error mappers and the shared ObjectMapper. */
public final class GatewayApplication extends ResourceConfig {
  public GatewayApplication(@Context ServletContext context) {
    Gateway gateway = Gateway.from(context);
    ResponseCache cache = ResponseCache.from(context);
    V1Resources.create(gateway).forEach(this::register);
    AdminResources.all(gateway).forEach(this::register);
    register(new AdminCacheResource(cache));
    register(new StatsResource(gateway.usageQueries(), Clock.systemUTC()));
    register(new LogsResource(gateway.usageQueries()));
    register(new SessionsResource(Sessions.from(context)));
    register(new StoredResponsesResource(StoredResponses.from(context), gateway.auth()));
    register(new OpenApiResource(gateway.version()));
    register(new GatewayExceptionMapper());
    register(new ThrowableMapper());
    register(JacksonFeature.withoutExceptionMappers());
    register(new SharedMapper());
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
  }

  /** Jersey serialises with the same ObjectMapper as everything else. */
  private static final class SharedMapper implements ContextResolver<ObjectMapper> {
    @Override
    public ObjectMapper getContext(Class<?> type) {
      return Json.MAPPER;
    }
  }
}
