package io.tollgate.persistence;

/** Upstream providers by unique name. */
public final class ProviderRepository extends NamedRepository<ProviderEntity, ProviderRecord> {
  public ProviderRepository(Tx tx) {
    super(tx, ProviderEntity.class, ProviderEntity::new, ProviderRecord::name);
  }
}
