package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of audit_log; written once, never changed. */
@Entity
@Table(name = "audit_log")
class AuditEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  Instant ts;

  @Column(nullable = false, length = 200)
  String actor;

  @Column(nullable = false, length = 32)
  String action;

  @Column(nullable = false, length = 32)
  String entity;

  @Column(name = "entity_id", length = 300)
  String entityId;

  @Column(name = "old_value")
  String oldValue;

  @Column(name = "new_value")
  String newValue;

  @Column(name = "request_id", length = 64)
  String requestId;

  @Column(name = "client_ip", length = 64)
  String clientIp;

  AuditRecord toRecord() {
    return new AuditRecord(id, ts, actor, action, entity, entityId, oldValue, newValue, requestId, clientIp);
  }
}
