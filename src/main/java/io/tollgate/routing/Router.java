package io.tollgate.routing;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.provider.ModelCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a requested model name to a route, in memory: the table is a snapshot swapped whole when
 * providers or models change, so the request path never waits on the database. Exact names and aliases win over
 * patterns, the most specific pattern wins over the others, and the quick start's upstream takes the rest.
 */
public final class Router {
  private volatile Snapshot current;

  private record Snapshot(ModelTable table, ModelIndex index) {
    Snapshot(ModelTable table) {
      this(table, new ModelIndex(table.models().values()));
    }
  }

  /** Where a name goes, before any credential is picked. */
  private record Match(Provider provider, String upstreamModel, ModelCapabilities capabilities) {
  }

  public Router(ModelTable table) {
    this.current = new Snapshot(table);
  }

  public void replace(ModelTable newTable) {
    this.current = new Snapshot(newTable);
  }

  public ModelTable table() {
    return current.table();
  }

  /**
   * Every target that may serve this model, best priority first (targets whose provider is gone are left out);
   * a 404 when nothing serves the name.
   */
  public Plan plan(String model) {
    Snapshot s = current;
    ModelTable t = s.table();
    String served = t.actualName() == null ? model : t.actualName();
    ModelDefinition def = s.index().find(served);
    List<Plan.Candidate> candidates = new ArrayList<>();
    if (def != null) {
      for (ModelDefinition.Target target : def.targets()) {
        Provider p = t.providers().get(target.provider());
        if (p != null) {
          candidates.add(new Plan.Candidate(p, target.upstreamName(served), target.priority(), target.weight()));
        }
      }
    } else if (t.wildcardProvider() != null && t.providers().containsKey(t.wildcardProvider())) {
      candidates.add(new Plan.Candidate(t.providers().get(t.wildcardProvider()), served, 0, 1));
    }
    if (candidates.isEmpty()) {
      throw notFound(model);
    }
    return new Plan(model, def == null ? ModelCapabilities.DEFAULT : def.capabilities(), candidates);
  }

  /** The provider that would serve this name, if any; no credential is picked. */
  public Optional<String> providerFor(String model) {
    return match(model).map(m -> m.provider().name());
  }

  private Optional<Match> match(String model) {
    Snapshot s = current;
    ModelTable t = s.table();
    String served = t.actualName() == null ? model : t.actualName();
    ModelDefinition def = s.index().find(served);
    if (def != null) {
      for (ModelDefinition.Target target : def.targets()) {
        Provider p = t.providers().get(target.provider());
        if (p != null) {
          return Optional.of(new Match(p, target.upstreamName(served), def.capabilities()));
        }
      }
    } else if (t.wildcardProvider() != null && t.providers().containsKey(t.wildcardProvider())) {
      return Optional.of(new Match(t.providers().get(t.wildcardProvider()), served, ModelCapabilities.DEFAULT));
    }
    return Optional.empty();
  }

  private GatewayException notFound(String model) {
    String actual = current.table().actualName();
    String why = actual == null ? "" : " (every model name is served as ACTUAL_NAME '" + actual
        + "', which no model entry serves)";
    return GatewayException.param(ErrorType.MODEL_NOT_FOUND,
        "The model '" + model + "' does not exist or you do not have access to it." + why, "model");
  }
}
