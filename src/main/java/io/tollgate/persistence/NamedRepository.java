package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A table of entries by unique name (providers, models): listed by name, read, upserted and deleted.
 *
 * @param <E> the entity
 * @param <R> the record callers see
 */
public abstract class NamedRepository<E extends NamedEntity<R>, R> {
  private final Tx tx;
  private final Class<E> type;
  private final Supplier<E> create;
  private final Function<R, String> name;

  NamedRepository(Tx tx, Class<E> type, Supplier<E> create, Function<R, String> name) {
    this.tx = tx;
    this.type = type;
    this.create = create;
    this.name = name;
  }

  public List<R> findAll() {
    return tx.read(em -> em.createQuery("select e from " + type.getSimpleName() + " e order by e.name", type)
        .getResultStream().map(this::read).toList());
  }

  public Optional<R> find(String entryName) {
    return tx.read(em -> byName(em, entryName).map(this::read));
  }

  /** Inserts or updates by name; writing the same values again changes nothing, not even updated_at. */
  public void upsert(R record) {
    try {
      tx.inTransaction(em -> apply(em, record));
    } catch (PersistenceException e) {
      tx.inTransaction(em -> apply(em, record)); // lost an insert race on the unique name: now it is an update
    }
  }

  public boolean delete(String entryName) {
    return tx.inTransaction(em -> em.createQuery("delete from " + type.getSimpleName() + " e where e.name = :name")
        .setParameter("name", entryName).executeUpdate()) == 1;
  }

  private Void apply(EntityManager em, R r) {
    E e = byName(em, name.apply(r)).orElse(null);
    if (e == null) {
      e = create.get();
      e.name = name.apply(r);
      e.createdAt = Tx.now();
      write(e, r);
      e.updatedAt = e.createdAt;
      em.persist(e);
    } else if (write(e, r)) {
      e.updatedAt = Tx.now();
    }
    return null;
  }

  /** The record a row is read as; a table whose columns need more than the entity knows overrides this. */
  R read(E e) {
    return e.toRecord();
  }

  /** Copies a record into a row; true if anything changed. */
  boolean write(E e, R r) {
    return e.assign(r);
  }

  private Optional<E> byName(EntityManager em, String entryName) {
    return em.createQuery("select e from " + type.getSimpleName() + " e where e.name = :name", type)
        .setParameter("name", entryName).getResultStream().findFirst();
  }
}
