package io.tollgate.persistence;

/** Upstream providers by unique name, their credential columns stored as {@link SecretColumns} say. */
public final class ProviderRepository extends NamedRepository<ProviderEntity, ProviderRecord> {
  private final SecretColumns secrets;

  /** Credentials in plaintext, as without TOLLGATE_SECRET_KEY. */
  public ProviderRepository(Tx tx) {
    this(tx, SecretColumns.PLAINTEXT);
  }

  public ProviderRepository(Tx tx, SecretColumns secrets) {
    super(tx, ProviderEntity.class, ProviderEntity::new, ProviderRecord::name);
    this.secrets = secrets;
  }

  @Override
  ProviderRecord read(ProviderEntity e) {
    return e.toRecord(secrets);
  }

  @Override
  boolean write(ProviderEntity e, ProviderRecord r) {
    return e.assign(r, secrets);
  }
}
