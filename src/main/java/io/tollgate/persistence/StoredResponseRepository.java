package io.tollgate.persistence;

import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stored_responses table. A response is found by its id and its owner together: another owner's response, like
 * one whose expires_at has passed, reads as absent.
 */
public final class StoredResponseRepository {
  private final Tx tx;

  public StoredResponseRepository(Tx tx) {
    this.tx = tx;
  }

  /**
   * Keeps a response. A cached answer replayed ({@code replay}) may carry an id kept already, which then stays as it
   * is; any other id is new, so it is inserted without looking first (one round trip fewer on every stored answer).
   */
  public void save(StoredResponseRecord r, boolean replay) {
    if (!replay) {
      tx.inTransaction(em -> {
        em.persist(StoredResponseEntity.of(r));
        return null;
      });
      return;
    }
    try {
      tx.inTransaction(em -> {
        if (em.find(StoredResponseEntity.class, r.id()) == null) {
          em.persist(StoredResponseEntity.of(r));
          em.flush();
        }
        return null;
      });
    } catch (PersistenceException e) {
      // Two replays of one cached answer that raced: the one that lost finds the winner's row, and is done.
      if (tx.read(em -> em.find(StoredResponseEntity.class, r.id())) == null) {
        throw e;
      }
    }
  }

  public Optional<StoredResponseRecord> find(String id, Long keyId, String keyHash, Instant now) {
    return tx.read(em -> Optional.ofNullable(em.find(StoredResponseEntity.class, id))
        .filter(e -> e.ownedBy(keyId, keyHash) && e.expiresAt.isAfter(now)).map(StoredResponseEntity::toRecord));
  }

  /** Deletes the owner's live response; false when it had none by this id. */
  public boolean delete(String id, Long keyId, String keyHash, Instant now) {
    return tx.inTransaction(em -> {
      StoredResponseEntity e = em.find(StoredResponseEntity.class, id);
      if (e == null || !e.ownedBy(keyId, keyHash) || !e.expiresAt.isAfter(now)) {
        return false;
      }
      em.remove(e);
      return true;
    });
  }

  /** Deletes up to {@code batch} expired responses; the number deleted. */
  public int deleteExpired(Instant now, int batch) {
    return tx.inTransaction(em -> {
      List<String> ids = em.createQuery("select e.id from StoredResponseEntity e where e.expiresAt <= :now",
          String.class).setParameter("now", now).setMaxResults(batch).getResultList();
      return ids.isEmpty() ? 0 : em.createQuery("delete from StoredResponseEntity e where e.id in :ids")
          .setParameter("ids", ids).executeUpdate();
    });
  }
}
