package io.tollgate.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of providers and public model names. With a {@code wildcardProvider} (the
 * single-upstream quick start) any name not in the table goes to that provider unchanged.
 */
public record ModelTable(Map<String, Provider> providers, Map<String, ModelDefinition> models,
    String wildcardProvider) {

  public ModelTable {
    providers = Map.copyOf(providers);
    models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  public static ModelTable of(List<Provider> providers, List<ModelDefinition> models, String wildcardProvider) {
    Map<String, Provider> p = new LinkedHashMap<>();
    providers.forEach(x -> p.put(x.name(), x));
    Map<String, ModelDefinition> m = new LinkedHashMap<>();
    models.forEach(x -> m.put(x.name(), x));
    return new ModelTable(p, m, wildcardProvider);
  }
}
