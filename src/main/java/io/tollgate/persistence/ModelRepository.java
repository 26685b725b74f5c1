package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Optional;

/** Public model names and their targets, by unique name. */
public final class ModelRepository {
  private final Tx tx;

  public ModelRepository(Tx tx) {
    this.tx = tx;
  }

  public List<ModelRecord> findAll() {
    return tx.read(em -> em.createQuery("select m from ModelEntity m order by m.name", ModelEntity.class)
        .getResultStream().map(ModelEntity::toRecord).toList());
  }

  public Optional<ModelRecord> find(String name) {
    return tx.read(em -> byName(em, name).map(ModelEntity::toRecord));
  }

  /** Inserts or updates by name; writing the same targets again changes nothing, not even updated_at. */
  public void upsert(ModelRecord model) {
    try {
      tx.inTransaction(em -> apply(em, model));
    } catch (PersistenceException e) {
      tx.inTransaction(em -> apply(em, model)); // lost an insert race on the unique name: now it is an update
    }
  }

  public boolean delete(String name) {
    return tx.inTransaction(em -> em.createQuery("delete from ModelEntity m where m.name = :name")
        .setParameter("name", name).executeUpdate()) == 1;
  }

  private static Void apply(EntityManager em, ModelRecord r) {
    ModelEntity e = byName(em, r.name()).orElse(null);
    if (e == null) {
      e = new ModelEntity(r.name(), Tx.now());
      e.assign(r);
      e.updatedAt = e.createdAt;
      em.persist(e);
    } else if (e.assign(r)) {
      e.updatedAt = Tx.now();
    }
    return null;
  }

  private static Optional<ModelEntity> byName(EntityManager em, String name) {
    return em.createQuery("select m from ModelEntity m where m.name = :name", ModelEntity.class)
        .setParameter("name", name).getResultStream().findFirst();
  }
}
