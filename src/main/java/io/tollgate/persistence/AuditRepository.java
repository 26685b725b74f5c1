package io.tollgate.persistence;

import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log: appended to, and read newest first in pages by id. */
public final class AuditRepository {
  private final Tx tx;

  public AuditRepository(Tx tx) {
    this.tx = tx;
  }

  /** What to read: each field null for "any"; {@code before} is the id the previous page ended at. */
  public record Filter(String entity, String entityId, String action, Instant from, Instant to, Long before) {
  }

  public AuditRecord append(AuditRecord r) {
    return tx.inTransaction(em -> {
      AuditEntity e = new AuditEntity();
      e.ts = r.ts() == null ? Tx.now() : r.ts();
      e.actor = r.actor();
      e.action = r.action();
      e.entity = r.entity();
      e.entityId = r.entityId();
      e.oldValue = r.oldValue();
      e.newValue = r.newValue();
      e.requestId = r.requestId();
      e.clientIp = r.clientIp();
      em.persist(e);
      return e.toRecord();
    });
  }

  /** Up to {@code limit} rows matching the filter, newest first. */
  public List<AuditRecord> page(Filter f, int limit) {
    List<String> where = new ArrayList<>();
    where.add("1 = 1");
    if (f.entity() != null) {
      where.add("a.entity = :entity");
    }
    if (f.entityId() != null) {
      where.add("a.entityId = :entityId");
    }
    if (f.action() != null) {
      where.add("a.action = :action");
    }
    if (f.from() != null) {
      where.add("a.ts >= :from");
    }
    if (f.to() != null) {
      where.add("a.ts < :to");
    }
    if (f.before() != null) {
      where.add("a.id < :before");
    }
    String jpql = "select a from AuditEntity a where " + String.join(" and ", where) + " order by a.id desc";
    return tx.read(em -> {
      TypedQuery<AuditEntity> q = em.createQuery(jpql, AuditEntity.class).setMaxResults(limit);
      setIf(q, "entity", f.entity());
      setIf(q, "entityId", f.entityId());
      setIf(q, "action", f.action());
      setIf(q, "from", f.from());
      setIf(q, "to", f.to());
      setIf(q, "before", f.before());
      return q.getResultStream().map(AuditEntity::toRecord).toList();
    });
  }

  private static void setIf(TypedQuery<?> q, String name, Object value) {
    if (value != null) {
      q.setParameter(name, value);
    }
  }
}
