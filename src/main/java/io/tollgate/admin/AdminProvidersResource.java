package io.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.BootstrapFile.ProviderEntry;
import io.tollgate.config.ConfigException;
import io.tollgate.config.Secret;
import io.tollgate.failover.Breakers;
import io.tollgate.failover.KeyPools;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.ProviderRecord;
import io.tollgate.routing.Provider;
import io.tollgate.routing.Router;
import io.tollgate.sync.ChangeFeed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Upstream providers, shaped like the bootstrap file's entries and checked by the same rules. Keys and secret
 * option values are shown masked; a PUT without api_keys (or api_key) keeps the stored keys, and a masked value
 * sent back stands for the stored one.
 */
@Path("admin/providers")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminProvidersResource extends AdminCollection<ProviderRecord> {
  private final Crud<ProviderRecord> crud;
  private final RoutingWrites writes;
  private final KeyPools pools;
  private final Breakers breakers;
  private final Audit audit;
  private final Router router;
  private final ProviderProbe probe;

  AdminProvidersResource(RoutingWrites writes, KeyPools pools, Breakers breakers, ChangeFeed changes, Audit audit,
      Router router, ProviderProbe probe) {
    this.writes = writes;
    this.router = router;
    this.probe = probe;
    this.pools = pools;
    this.breakers = breakers;
    this.audit = audit;
    this.crud = new Crud<>(new Crud.Table<>("provider", "name", Page.BY_NAME, writes.providers::findAll,
        writes.providers::find, ProviderRecord::name, this::view), ChangeFeed.Kind.PROVIDERS, changes, audit);
  }

  @Override
  Crud<ProviderRecord> crud() {
    return crud;
  }

  /** A stored provider, or the quick start's (its pool only); annotated where it is declared. */
  @Override
  public ObjectNode one(String name) {
    return writes.providers.find(name).map(this::view).orElseGet(() -> withPool(builtIn(name), name));
  }

  /** Puts a key refused or cooling down back into rotation at once; {@code n} is its position in api_keys. */
  @POST
  @Path("{name: .+}/keys/{n}/enable")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode enable(@Context HttpServletRequest request, @PathParam("name") String name,
      @PathParam("n") String position) {
    int n = position.matches("[0-9]{1,6}") ? Integer.parseInt(position) : -1;
    if (writes.providers.find(name).isEmpty()) {
      builtIn(name);
    }
    ArrayNode before = keys(name);
    if (!pools.enable(name, n)) {
      throw GatewayException.param(ErrorType.NOT_FOUND, "The provider '" + name + "' has no key at position '"
          + position + "' (positions count from 0 in api_keys).", "n");
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("object", "provider.key");
    o.put("provider", name);
    o.set("keys", keys(name));
    audit.record(request, "enable", "provider.key", name + "/" + n, before, o.get("keys"));
    return o;
  }

  /**
   * One tiny chat call to the provider as the request path would make it; always a 200 saying how it went
   * ({@link ProviderProbe}). Answered from the upstream's thread: no request thread waits for it.
   */
  @POST
  @Path("{name: .+}/test")
  @Consumes(MediaType.WILDCARD)
  public void test(@PathParam("name") String name, byte[] body, @Suspended AsyncResponse response) {
    one(name); // a 404 exactly where GET gives one
    Provider provider = router.table().providers().get(name);
    if (provider == null) {
      throw crud.notFound(name);
    }
    ObjectNode json = body == null || body.length == 0 ? null : AdminBodies.object(body);
    if (json != null) {
      AdminBodies.onlyFields(json, Set.of("model"), Set.of(), "a provider test");
    }
    String model = ProviderProbe.model(json, name, router.table());
    response.setTimeout(ProviderProbe.LIMIT.toSeconds() + 5, TimeUnit.SECONDS);
    probe.run(provider, model).whenComplete((answer, bug) -> {
      if (bug != null) {
        response.resume(bug);
      } else {
        response.resume(answer);
      }
    });
  }

  /** The quick start's provider, which lives in the settings rather than the database: its pool only. */
  private ObjectNode builtIn(String name) {
    if (!writes.reserved(name) || pools.keys(name).isEmpty()) {
      throw crud.notFound(name);
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("object", "provider");
    o.put("name", name);
    o.put("source", "settings");
    return o;
  }

  /** Each pooled key's state, masked as in api_keys. */
  private ArrayNode keys(String provider) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (KeyPools.KeyView k : pools.keys(provider)) {
      ObjectNode o = list.addObject();
      o.put("index", k.index());
      o.put("key", MaskedKeys.mask(k.secret().reveal()));
      o.put("state", k.state());
      o.put("in_flight", k.inFlight());
      o.put("successes", k.successes());
      o.put("failures", k.failures());
      o.put("reason", k.reason());
      o.put("since", k.since() == null ? null : k.since().toString());
      o.put("until", k.until() == null ? null : k.until().toString());
    }
    return list;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(@Context HttpServletRequest request, byte[] body) {
    ProviderRecord record = record(entry(AdminBodies.object(body)), List.of(), false);
    if (writes.reserved(record.name())) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "The provider name '" + record.name()
          + "' is reserved for the UPSTREAM_BASE_URL quick start; choose another.", "name");
    }
    return crud.createNew(request, record.name(), () -> {
      writes.providers.upsert(record);
      return record;
    });
  }

  @PUT
  @Path("{name: .+}")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode update(@Context HttpServletRequest request, @PathParam("name") String name, byte[] body) {
    ObjectNode json = AdminBodies.object(body);
    AdminBodies.sameName(json, name);
    writes.providers.find(name).ifPresent(stored -> MaskedOptions.restore(json, stored.options()));
    ProviderEntry entry = entry(json);
    boolean keepKeys = !json.has("api_keys") && !json.has("api_key");
    return crud.change(request, "update", name, stored -> {
      ProviderRecord record = record(entry, stored.apiKeys(), keepKeys);
      writes.providers.upsert(record);
      return record;
    });
  }

  @DELETE
  @Path("{name: .+}")
  public ObjectNode delete(@Context HttpServletRequest request, @PathParam("name") String name) {
    return crud.delete(request, name, stored -> {
      List<String> users = writes.modelsUsing(name);
      if (!users.isEmpty()) {
        throw GatewayException.param(ErrorType.CONFLICT, "The provider '" + name + "' is still used by model"
            + (users.size() == 1 ? " " : "s ") + String.join(", ", users) + "; change or delete "
            + (users.size() == 1 ? "it" : "them") + " first.", "name");
      }
      writes.providers.delete(name);
    });
  }

  private static ProviderEntry entry(ObjectNode json) {
    // What GET shows beside the stored fields, so a view can be edited and sent back as it is.
    json.remove(List.of("keys", "circuits", "source"));
    try {
      return BootstrapFile.provider(json);
    } catch (ConfigException e) {
      throw AdminBodies.invalid(e);
    }
  }

  /** The stored form; masked keys in the body stand for the stored keys they mask. */
  private static ProviderRecord record(ProviderEntry e, List<String> storedKeys, boolean keepStoredKeys) {
    List<String> keys = keepStoredKeys ? storedKeys
        : MaskedKeys.resolve(e.apiKeys().stream().map(Secret::reveal).toList(), storedKeys);
    return new ProviderRecord(e.name(), e.type(), e.baseUrl(), keys, e.passthrough(), e.stripSkPrefix(),
        e.options());
  }

  /** The stored provider with its pool's state: what GET, POST and PUT answer. */
  private ObjectNode view(ProviderRecord p) {
    return withPool(stored(p), p.name());
  }

  private ObjectNode withPool(ObjectNode o, String name) {
    o.set("keys", keys(name));
    o.set("circuits", breakers.states(name));
    return o;
  }

  private static ObjectNode stored(ProviderRecord p) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("object", "provider");
    o.put("name", p.name());
    o.put("type", p.type());
    o.put("base_url", p.baseUrl());
    MaskedKeys.mask(p.apiKeys()).forEach(o.putArray("api_keys")::add);
    o.put("passthrough", p.passthrough());
    o.put("strip_sk_prefix", p.stripSkPrefix());
    ObjectNode options = o.putObject("options");
    // Header values and passwords may be secrets: shown masked, like keys.
    MaskedOptions.view(p.options()).forEach(options::put);
    return o;
  }
}
