package io.tollgate.admin;

import io.tollgate.persistence.ModelRecord;
import io.tollgate.persistence.ModelRepository;
import io.tollgate.persistence.ProviderRepository;
import java.util.List;
import java.util.Set;

/** The providers and models tables as the admin API checks them: which names exist, are built in or reserved. */
final class RoutingWrites {
  final ProviderRepository providers;
  final ModelRepository models;
  private final Set<String> builtIns;
  private final String reservedName;

  RoutingWrites(ProviderRepository providers, ModelRepository models, Set<String> builtIns, String reservedName) {
    this.providers = providers;
    this.models = models;
    this.builtIns = builtIns;
    this.reservedName = reservedName;
  }

  /** A provider a model may name: one in the database, or one routing provides itself (echo). */
  boolean providerExists(String name) {
    return builtIns.contains(name) || providers.find(name).isPresent();
  }

  /** The name routing gives its own provider (the quick start's), so a stored one would never be used. */
  boolean reserved(String name) {
    return name.equals(reservedName);
  }

  List<String> modelsUsing(String provider) {
    return models.findAll().stream()
        .filter(m -> m.targets().stream().anyMatch(t -> t.provider().equals(provider)))
        .map(ModelRecord::name).toList();
  }
}
