package io.tollgate.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.KeyRules;
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

  /** The models by id; the providers whose own list could not be had, with why; whether any list was had. */
  record Listed(Map<String, ObjectNode> models, Map<String, GatewayException> failures, boolean anyListed) {
    /** Only the models a key with these rules may use. */
    Listed allowedTo(KeyRules rules) {
      Map<String, ObjectNode> allowed = new LinkedHashMap<>(models);
      allowed.keySet().removeIf(id -> !rules.allowsModel(id));
      return new Listed(allowed, failures, anyListed);
    }

    ObjectNode json() {
      ObjectNode root = Json.MAPPER.createObjectNode();
      root.put("object", "list");
      ArrayNode data = root.putArray("data");
      models.values().forEach(data::add);
      return root;
    }
  }

  Listed listed() {
    ModelTable table = router.table();
    if (table != listedFor) {
      // Providers changed (the admin API swaps the table): lists fetched under the old settings are stale.
      lists.clear();
      listedFor = table;
    }
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    Map<String, GatewayException> failures = new LinkedHashMap<>();
    boolean anyListed = false;
    for (ModelDefinition def : table.models().values()) {
      if (!def.wildcard()) {
        String owner = def.targets().isEmpty() ? "tollgate" : def.targets().get(0).provider();
        out.put(def.name(), entry(def.name(), owner, created));
        def.aliases().forEach(alias -> out.putIfAbsent(alias, entry(alias, owner, created)));
      }
    }
    for (ModelDefinition def : table.models().values()) {
      Provider lister = !def.wildcard() ? null : def.targets().stream()
          .filter(t -> t.passesThrough() && table.providers().containsKey(t.provider())).findFirst()
          .map(t -> table.providers().get(t.provider())).orElse(null);
      if (lister != null) {
        anyListed |= add(lister, Glob.of(def.name())::matches, out, failures);
      }
    }
    Provider quickStart = table.wildcardProvider() == null ? null : table.providers().get(table.wildcardProvider());
    if (quickStart != null) {
      anyListed |= add(quickStart, id -> true, out, failures);
    }
    return new Listed(out, failures, anyListed);
  }

  /** A listed model, or any other name the router would serve. */
  ObjectNode one(String id) {
    ObjectNode model = listed().models().get(id);
    if (model != null) {
      return model;
    }
    return router.providerFor(id).map(provider -> entry(id, provider, created))
        .orElseThrow(() -> notFound(id));
  }

  static GatewayException notFound(String id) {
    return GatewayException.param(ErrorType.MODEL_NOT_FOUND,
        "The model '" + id + "' does not exist or you do not have access to it.", "model");
  }

  /** Adds what the provider lists and the pattern wants; false, and the reason noted, when it could not list. */
  private boolean add(Provider provider, Predicate<String> wanted, Map<String, ObjectNode> out,
      Map<String, GatewayException> failures) {
    ProviderModelLists.Listing listing = lists.listing(provider);
    if (listing.failed()) {
      failures.putIfAbsent(provider.name(), listing.failure());
      return false;
    }
    for (JsonNode m : listing.models()) {
      String id = m.path("id").asText(null);
      if (id != null && !id.isEmpty() && !Glob.isPattern(id) && wanted.test(id) && !out.containsKey(id)) {
        out.put(id, entry(id, m.path("owned_by").asText(provider.name()), m.path("created").asLong(created)));
      }
    }
    return true;
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
