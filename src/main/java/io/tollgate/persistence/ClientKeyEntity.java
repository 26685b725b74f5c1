package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of client_keys. Never leaves this package: callers get a {@link ClientKeyRecord}, which has no hash. */
@Entity
@Table(name = "client_keys")
class ClientKeyEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "client_keys_seq")
  @SequenceGenerator(name = "client_keys_seq", sequenceName = "client_keys_id_seq", allocationSize = 50)
  Long id;

  @Column(nullable = false, length = 200)
  String name;

  @Column(name = "key_hash", nullable = false, length = 64, updatable = false)
  String keyHash;

  @Column(name = "key_prefix", nullable = false, length = 32)
  String keyPrefix;

  @Column(nullable = false, length = 16)
  String source;

  @Column(name = "created_at", nullable = false, updatable = false)
  Instant createdAt;

  @Column(name = "revoked_at")
  Instant revokedAt;

  @Column(name = "limits", nullable = false)
  String limits = "{}";

  @Column(name = "token_quota")
  Long tokenQuota;

  @Column(name = "budget_usd", precision = 18, scale = 6)
  java.math.BigDecimal budgetUsd;

  @Column(name = "quota_period", length = 16)
  String quotaPeriod;

  protected ClientKeyEntity() {
  }

  ClientKeyEntity(String name, String keyHash, String keyPrefix, String source, Instant createdAt) {
    this.name = name;
    this.keyHash = keyHash;
    this.keyPrefix = keyPrefix;
    this.source = source;
    this.createdAt = createdAt;
  }

  ClientKeyLimits toLimits() {
    return new ClientKeyLimits(limits == null ? "{}" : limits, tokenQuota, budgetUsd, quotaPeriod);
  }

  ClientKeyRecord toRecord() {
    return new ClientKeyRecord(id, name, keyPrefix, source, createdAt, revokedAt);
  }
}
