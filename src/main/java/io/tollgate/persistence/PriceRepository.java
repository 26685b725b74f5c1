package io.tollgate.persistence;

import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Optional;

/** Prices per model name or pattern, seeded by the migrations and edited through the admin API. */
public final class PriceRepository {
  private final Tx tx;

  public PriceRepository(Tx tx) {
    this.tx = tx;
  }

  public List<PriceRecord> findAll() {
    return tx.read(em -> em.createQuery("select p from PriceEntity p order by p.model", PriceEntity.class)
        .getResultStream().map(PriceEntity::toRecord).toList());
  }

  public Optional<PriceRecord> find(String model) {
    return tx.read(em -> Optional.ofNullable(em.find(PriceEntity.class, model)).map(PriceEntity::toRecord));
  }

  /** Inserts or replaces the price of this model; returns what is stored. */
  public PriceRecord upsert(PriceRecord price) {
    try {
      return tx.inTransaction(em -> apply(em, price));
    } catch (PersistenceException e) {
      return tx.inTransaction(em -> apply(em, price)); // lost an insert race: now it is an update
    }
  }

  public boolean delete(String model) {
    return tx.inTransaction(em -> em.createQuery("delete from PriceEntity p where p.model = :model")
        .setParameter("model", model).executeUpdate()) == 1;
  }

  private static PriceRecord apply(jakarta.persistence.EntityManager em, PriceRecord r) {
    PriceEntity e = em.find(PriceEntity.class, r.model());
    if (e == null) {
      e = new PriceEntity(r.model());
      e.assign(r, Tx.now());
      em.persist(e);
    } else {
      e.assign(r, Tx.now());
    }
    return e.toRecord();
  }
}
