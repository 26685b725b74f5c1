package io.tollgate.persistence;

/** Public model names and their targets, by unique name. */
public final class ModelRepository extends NamedRepository<ModelEntity, ModelRecord> {
  public ModelRepository(Tx tx) {
    super(tx, ModelEntity.class, ModelEntity::new, ModelRecord::name);
  }
}
