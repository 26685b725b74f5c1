package io.tollgate.routing;

import io.tollgate.config.Secret;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.provider.Route;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves a requested model name to a route, in memory: the table is a snapshot swapped whole when
 * providers or models change, so the request path never waits on the database.
 */
public final class Router {
  private volatile ModelTable table;
  private final Map<String, AtomicInteger> nextKey = new ConcurrentHashMap<>();

  public Router(ModelTable table) {
    this.table = table;
  }

  public void replace(ModelTable newTable) {
    this.table = newTable;
  }

  public ModelTable table() {
    return table;
  }

  /** The route for this model; {@code callerToken} is the caller's bearer token, used by pass-through providers. */
  public Route resolve(String model, String callerToken) {
    ModelTable t = table;
    ModelDefinition def = t.models().get(model);
    if (def != null) {
      for (ModelDefinition.Target target : def.targets()) {
        Provider p = t.providers().get(target.provider());
        if (p != null) {
          return route(model, p, target.model(), callerToken);
        }
      }
    } else if (t.wildcardProvider() != null && t.providers().containsKey(t.wildcardProvider())) {
      return route(model, t.providers().get(t.wildcardProvider()), model, callerToken);
    }
    throw GatewayException.param(ErrorType.MODEL_NOT_FOUND,
        "The model '" + model + "' does not exist or you do not have access to it.", "model");
  }

  private Route route(String model, Provider p, String upstreamModel, String callerToken) {
    return new Route(model, p.name(), p.type(), p.baseUrl(), upstreamModel, credential(p, callerToken),
        p.passthrough(), p.options());
  }

  private Secret credential(Provider p, String callerToken) {
    if (p.passthrough()) {
      if (callerToken == null || callerToken.isBlank()) {
        throw GatewayException.of(ErrorType.MISSING_API_KEY, "provider " + p.name()
            + " uses the caller's own upstream key: send it as 'Authorization: Bearer <key>'");
      }
      String token = callerToken.strip();
      if (p.stripSkPrefix() && token.startsWith("sk-")) {
        token = token.substring(3);
      }
      return Secret.of(token);
    }
    List<Secret> keys = p.apiKeys();
    if (keys.isEmpty()) {
      return null;
    }
    int i = nextKey.computeIfAbsent(p.name(), n -> new AtomicInteger()).getAndIncrement();
    return keys.get(Math.floorMod(i, keys.size()));
  }
}
