package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import org.hibernate.FlushMode;
import org.hibernate.Session;

/** Runs work in one EntityManager and one transaction, committing on return and rolling back on any exception. */
public final class Tx {
  private final EntityManagerFactory emf;

  public Tx(EntityManagerFactory emf) {
    this.emf = emf;
  }

  public <T> T inTransaction(Function<EntityManager, T> work) {
    return run(work, false);
  }

  /** Like {@link #inTransaction} without dirty checking or flushing: entities read here are never written. */
  public <T> T read(Function<EntityManager, T> work) {
    return run(work, true);
  }

  private <T> T run(Function<EntityManager, T> work, boolean readOnly) {
    try (EntityManager em = emf.createEntityManager()) {
      if (readOnly) {
        Session session = em.unwrap(Session.class);
        session.setDefaultReadOnly(true);
        session.setHibernateFlushMode(FlushMode.MANUAL);
      }
      EntityTransaction tx = em.getTransaction();
      tx.begin();
      try {
        T result = work.apply(em);
        if (readOnly) {
          tx.rollback();
        } else {
          tx.commit();
        }
        return result;
      } catch (RuntimeException | Error e) {
        if (tx.isActive()) {
          try {
            tx.rollback();
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }
  }

  /** Now, at the precision timestamptz keeps, so a record read back equals the one returned on insert. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
