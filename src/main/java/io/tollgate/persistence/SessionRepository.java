package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The sessions table. A session is (key id, session id); one whose expires_at has passed reads as absent. Changes
 * lock the row, so two turns of one session that race are both kept, one after the other.
 */
public final class SessionRepository {
  private final Tx tx;

  public SessionRepository(Tx tx) {
    this.tx = tx;
  }

  public Optional<SessionRecord> find(long keyId, String sessionId, Instant now) {
    return tx.read(em -> row(em, keyId, sessionId, false).filter(e -> e.expiresAt.isAfter(now))
        .map(SessionEntity::toRecord));
  }

  /**
   * Writes what {@code change} makes of the live session (null when there is none, or it expired), under a lock on
   * its row. A first write that loses the insert race to another is made again, over the winner's row.
   */
  public SessionRecord change(long keyId, String sessionId, Instant now, UnaryOperator<SessionRecord> change) {
    try {
      return tx.inTransaction(em -> apply(em, keyId, sessionId, now, change));
    } catch (PersistenceException lostInsertRace) {
      return tx.inTransaction(em -> apply(em, keyId, sessionId, now, change));
    }
  }

  private static SessionRecord apply(EntityManager em, long keyId, String sessionId, Instant now,
      UnaryOperator<SessionRecord> change) {
    SessionEntity e = row(em, keyId, sessionId, true).orElse(null);
    SessionRecord live = e != null && e.expiresAt.isAfter(now) ? e.toRecord() : null;
    SessionRecord next = change.apply(live);
    if (e == null) {
      e = new SessionEntity();
      e.keyId = keyId;
      e.sessionId = sessionId;
      e.assign(next);
      em.persist(e);
      em.flush();
    } else {
      e.assign(next);
    }
    return next;
  }

  /** Deletes a live session; false when there was none. */
  public boolean delete(long keyId, String sessionId, Instant now) {
    return tx.inTransaction(em -> em.createQuery("delete from SessionEntity e where e.keyId = :key"
        + " and e.sessionId = :id and e.expiresAt > :now").setParameter("key", keyId).setParameter("id", sessionId)
        .setParameter("now", now).executeUpdate()) == 1;
  }

  /** Deletes up to {@code batch} expired sessions; the number deleted. */
  public int deleteExpired(Instant now, int batch) {
    return tx.inTransaction(em -> {
      List<Long> ids = em.createQuery("select e.id from SessionEntity e where e.expiresAt <= :now", Long.class)
          .setParameter("now", now).setMaxResults(batch).getResultList();
      return ids.isEmpty() ? 0 : em.createQuery("delete from SessionEntity e where e.id in :ids")
          .setParameter("ids", ids).executeUpdate();
    });
  }

  private static Optional<SessionEntity> row(EntityManager em, long keyId, String sessionId, boolean lock) {
    var query = em.createQuery("select e from SessionEntity e where e.keyId = :key and e.sessionId = :id",
        SessionEntity.class).setParameter("key", keyId).setParameter("id", sessionId);
    if (lock) {
      query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
    }
    return query.getResultStream().findFirst();
  }
}
