package io.tollgate.admin;

import io.tollgate.persistence.ModelRecord;
import io.tollgate.persistence.ModelRepository;
import io.tollgate.persistence.ProviderRepository;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The providers and models tables as the admin API changes them: one change at a time, so a check ("no model uses
 * this provider") still holds when the write lands, and the routing snapshot rebuilt after each, so the next
 * request already sees it.
 */
final class RoutingWrites {
  final ProviderRepository providers;
  final ModelRepository models;
  private final Runnable reload;
  private final Set<String> builtIns;
  private final String reservedName;

  RoutingWrites(ProviderRepository providers, ModelRepository models, Runnable reload, Set<String> builtIns,
      String reservedName) {
    this.providers = providers;
    this.models = models;
    this.reload = reload;
    this.builtIns = builtIns;
    this.reservedName = reservedName;
  }

  /** Runs the checks and the write, then rebuilds routing; nothing is rebuilt when the change fails. */
  synchronized <T> T change(Supplier<T> checkAndWrite) {
    T result = checkAndWrite.get();
    reload.run();
    return result;
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
