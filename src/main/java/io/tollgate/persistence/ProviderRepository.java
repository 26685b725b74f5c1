package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Optional;

/** Upstream providers by unique name. */
public final class ProviderRepository {
  private final Tx tx;

  public ProviderRepository(Tx tx) {
    this.tx = tx;
  }

  public List<ProviderRecord> findAll() {
    return tx.read(em -> em.createQuery("select p from ProviderEntity p order by p.name", ProviderEntity.class)
        .getResultStream().map(ProviderEntity::toRecord).toList());
  }

  public Optional<ProviderRecord> find(String name) {
    return tx.read(em -> byName(em, name).map(ProviderEntity::toRecord));
  }

  /** Inserts or updates by name; writing the same values again changes nothing, not even updated_at. */
  public void upsert(ProviderRecord provider) {
    try {
      tx.inTransaction(em -> apply(em, provider));
    } catch (PersistenceException e) {
      tx.inTransaction(em -> apply(em, provider)); // lost an insert race on the unique name: now it is an update
    }
  }

  public boolean delete(String name) {
    return tx.inTransaction(em -> em.createQuery("delete from ProviderEntity p where p.name = :name")
        .setParameter("name", name).executeUpdate()) == 1;
  }

  private static Void apply(EntityManager em, ProviderRecord r) {
    ProviderEntity e = byName(em, r.name()).orElse(null);
    if (e == null) {
      e = new ProviderEntity(r.name(), Tx.now());
      e.assign(r);
      e.updatedAt = e.createdAt;
      em.persist(e);
    } else if (e.assign(r)) {
      e.updatedAt = Tx.now();
    }
    return null;
  }

  private static Optional<ProviderEntity> byName(EntityManager em, String name) {
    return em.createQuery("select p from ProviderEntity p where p.name = :name", ProviderEntity.class)
        .setParameter("name", name).getResultStream().findFirst();
  }
}
