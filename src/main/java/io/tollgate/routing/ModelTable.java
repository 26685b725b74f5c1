package io.tollgate.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of providers and model entries, keyed by name (a pattern's name is the pattern). With a
 * {@code wildcardProvider} (the single-upstream quick start) any name nothing else serves goes to that provider
 * unchanged. With an {@code actualName} (single-model mode) every request is served as if it asked for that name.
 */
public record ModelTable(Map<String, Provider> providers, Map<String, ModelDefinition> models,
    String wildcardProvider, String actualName) {

  public ModelTable {
    providers = Map.copyOf(providers);
    models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  public ModelTable(Map<String, Provider> providers, Map<String, ModelDefinition> models, String wildcardProvider) {
    this(providers, models, wildcardProvider, null);
  }

  public static ModelTable of(List<Provider> providers, List<ModelDefinition> models, String wildcardProvider) {
    return of(providers, models, wildcardProvider, null);
  }

  public static ModelTable of(List<Provider> providers, List<ModelDefinition> models, String wildcardProvider,
      String actualName) {
    Map<String, Provider> p = new LinkedHashMap<>();
    providers.forEach(x -> p.put(x.name(), x));
    Map<String, ModelDefinition> m = new LinkedHashMap<>();
    models.forEach(x -> m.put(x.name(), x));
    return new ModelTable(p, m, wildcardProvider, actualName);
  }
}
