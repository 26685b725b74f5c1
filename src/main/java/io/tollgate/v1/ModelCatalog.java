package io.tollgate.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.routing.Glob;
import io.tollgate.routing.ModelDefinition;
import io.tollgate.routing.ModelTable;
import io.tollgate.routing.Provider;
import io.tollgate.routing.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The models a client may ask for: the model table's names and aliases, plus, for each pattern that passes names
 * through and for the single-upstream quick start, what the provider itself lists (matching the pattern).
 */
final class ModelCatalog {
  private final Router router;
  private final ProviderModelLists lists;
  private final long created = System.currentTimeMillis() / 1000;
  private volatile ModelTable listedFor;

  ModelCatalog(Router router, ProviderModelLists lists) {
    this.router = router;
    this.lists = lists;
  }

  Map<String, ObjectNode> models() {
    ModelTable table = router.table();
    if (table != listedFor) {
      // Providers changed (the admin API swaps the table): lists fetched under the old settings are stale.
      lists.clear();
      listedFor = table;
    }
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    for (ModelDefinition def : table.models().values()) {
      if (!def.wildcard()) {
        String owner = def.targets().isEmpty() ? "tollgate" : def.targets().get(0).provider();
        out.put(def.name(), entry(def.name(), owner, created));
        def.aliases().forEach(alias -> out.putIfAbsent(alias, entry(alias, owner, created)));
      }
    }
    for (ModelDefinition def : table.models().values()) {
      if (def.wildcard()) {
        def.targets().stream().filter(t -> t.passesThrough() && table.providers().containsKey(t.provider()))
            .findFirst().ifPresent(t -> listed(table.providers().get(t.provider()), Glob.of(def.name())::matches,
                out));
      }
    }
    Provider quickStart = table.wildcardProvider() == null ? null : table.providers().get(table.wildcardProvider());
    if (quickStart != null) {
      listed(quickStart, id -> true, out);
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

  /** A listed model, or any other name the router would serve. */
  ObjectNode one(String id) {
    ObjectNode model = models().get(id);
    if (model != null) {
      return model;
    }
    return router.providerFor(id).map(provider -> entry(id, provider, created))
        .orElseThrow(() -> GatewayException.param(ErrorType.MODEL_NOT_FOUND,
            "The model '" + id + "' does not exist or you do not have access to it.", "model"));
  }

  private void listed(Provider provider, Predicate<String> wanted, Map<String, ObjectNode> out) {
    for (JsonNode m : lists.of(provider)) {
      String id = m.path("id").asText(null);
      if (id != null && !id.isEmpty() && !Glob.isPattern(id) && wanted.test(id) && !out.containsKey(id)) {
        out.put(id, entry(id, m.path("owned_by").asText(provider.name()), m.path("created").asLong(created)));
      }
    }
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
