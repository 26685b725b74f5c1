package io.tollgate.routing;

import io.tollgate.config.GatewayConfig.QuickStart;
import io.tollgate.config.Secret;
import io.tollgate.persistence.ModelRepository;
import io.tollgate.persistence.ModelRecord;
import io.tollgate.persistence.ProviderRepository;
import io.tollgate.provider.ModelCapabilities;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the routing snapshot from the database, the quick-start settings and the built-in echo model. */
public final class ModelTables {
  public static final String ECHO = "echo";
  public static final String QUICK_START_PROVIDER = "upstream";

  private ModelTables() {
  }

  public static ModelTable load(ProviderRepository providerRepo, ModelRepository modelRepo, QuickStart quickStart) {
    return load(providerRepo, modelRepo, quickStart, null);
  }

  /** With an {@code actualName}, every requested name is served as that one (single-model mode). */
  public static ModelTable load(ProviderRepository providerRepo, ModelRepository modelRepo, QuickStart quickStart,
      String actualName) {
    return load(providerRepo, modelRepo, quickStart, actualName, Map.of());
  }

  /** {@code quickStartOptions}: the quick-start provider's options from global settings (CONVERSATION_API_URL). */
  public static ModelTable load(ProviderRepository providerRepo, ModelRepository modelRepo, QuickStart quickStart,
      String actualName, Map<String, String> quickStartOptions) {
    List<Provider> providers = new ArrayList<>();
    providerRepo.findAll().forEach(p -> providers.add(new Provider(p.name(), p.type(), p.baseUrl(),
        p.apiKeys().stream().map(Secret::of).toList(), p.passthrough(), p.stripSkPrefix(), p.options())));
    List<ModelDefinition> models = new ArrayList<>();
    for (ModelRecord m : modelRepo.findAll()) {
      models.add(definition(m));
    }
    if (providers.stream().noneMatch(p -> p.name().equals(ECHO))) {
      providers.add(new Provider(ECHO, ECHO, null, List.of(), false, false));
    }
    String wildcard = null;
    if (quickStart.enabled()) {
      providers.removeIf(p -> p.name().equals(QUICK_START_PROVIDER));
      providers.add(new Provider(QUICK_START_PROVIDER, quickStart.type(), quickStart.baseUrl(),
          quickStart.apiKeys(), false, false, quickStartOptions));
      if (quickStart.models().isEmpty()) {
        wildcard = QUICK_START_PROVIDER;
      } else {
        models.addAll(quickStartModels(quickStart.models(), models));
      }
    } else if (models.isEmpty()) {
      models.add(new ModelDefinition(ECHO, List.of(new ModelDefinition.Target(ECHO, ECHO))));
    }
    return ModelTable.of(providers, models, wildcard, actualName);
  }

  /**
   * AVAILABLE_MODELS: only these names go to the quick start's upstream, as asked (a pattern passes every name it
   * matches), so any other name gets the 404 of an unknown model. Entries of the database keep their names.
   */
  private static List<ModelDefinition> quickStartModels(List<String> names, List<ModelDefinition> configured) {
    Set<String> taken = new HashSet<>();
    configured.forEach(m -> {
      taken.add(m.name());
      taken.addAll(m.aliases());
    });
    return names.stream().filter(n -> !taken.contains(n))
        .map(n -> new ModelDefinition(n, List.of(new ModelDefinition.Target(QUICK_START_PROVIDER,
            Glob.isPattern(n) ? ModelDefinition.Target.PASS_THROUGH : n))))
        .toList();
  }

  static ModelDefinition definition(ModelRecord m) {
    return new ModelDefinition(m.name(),
        m.targets().stream().map(t -> new ModelDefinition.Target(t.provider(), t.model(), t.priority(),
            t.weight() == null ? 1 : t.weight())).toList(), m.aliases(),
        new ModelCapabilities(m.maxTokens(), m.supportsStreaming(), m.supportsTools()));
  }
}
