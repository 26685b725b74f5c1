package io.tollgate.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollgate.openai.Json;
import io.tollgate.provider.AdapterRegistry;
import io.tollgate.provider.Route;
import io.tollgate.routing.ModelTable;
import io.tollgate.routing.Provider;
import io.tollgate.routing.Router;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a client may ask for: the model table's names, plus, in the single-upstream quick start, whatever
 * the upstream itself lists (asked once per cache period, not per request).
 */
final class ModelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
  private final Router router;
  private final AdapterRegistry adapters;
  private final Duration upstreamWait;
  private final long created = System.currentTimeMillis() / 1000;
  private final Cache<String, JsonNode> upstreamLists;
  private volatile ModelTable listedFor;

  ModelCatalog(Router router, AdapterRegistry adapters, Duration upstreamWait, Duration cacheTtl) {
    this.router = router;
    this.adapters = adapters;
    this.upstreamWait = upstreamWait;
    this.upstreamLists = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100).build();
  }

  Map<String, ObjectNode> models() {
    ModelTable table = router.table();
    if (table != listedFor) {
      // Providers changed (the admin API swaps the table): lists fetched under the old settings are stale.
      upstreamLists.invalidateAll();
      listedFor = table;
    }
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    table.models().forEach((name, def) -> out.put(name, entry(name,
        def.targets().isEmpty() ? "tollgate" : def.targets().get(0).provider())));
    Provider wildcard = table.wildcardProvider() == null ? null : table.providers().get(table.wildcardProvider());
    if (wildcard != null) {
      for (JsonNode m : upstreamList(wildcard).path("data")) {
        String id = m.path("id").asText(null);
        if (id != null && !out.containsKey(id)) {
          out.put(id, entry(id, m.path("owned_by").asText(wildcard.name()), m.path("created").asLong(created)));
        }
      }
    }
    return out;
  }

  ObjectNode list() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    models().values().forEach(data::add);
    return root;
  }

  private JsonNode upstreamList(Provider p) {
    JsonNode cached = upstreamLists.getIfPresent(p.name());
    if (cached != null) {
      return cached;
    }
    Route route = new Route("*", p.name(), p.type(), p.baseUrl(), "*",
        p.apiKeys().isEmpty() ? null : p.apiKeys().get(0), p.passthrough(), p.options());
    try {
      JsonNode list = adapters.forType(p.type()).listModels(route)
          .get(upstreamWait.toMillis(), TimeUnit.MILLISECONDS);
      upstreamLists.put(p.name(), list);
      return list;
    } catch (Exception e) {
      LOG.warn("could not list the models of provider {}: {}", p.name(), e.toString());
      return Json.MAPPER.createObjectNode();
    }
  }

  private ObjectNode entry(String id, String ownedBy) {
    return entry(id, ownedBy, created);
  }

  private static ObjectNode entry(String id, String ownedBy, long createdAt) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("id", id);
    m.put("object", "model");
    m.put("created", createdAt);
    m.put("owned_by", ownedBy);
    return m;
  }
}
