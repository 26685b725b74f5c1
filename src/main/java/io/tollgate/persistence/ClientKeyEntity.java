package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.math.BigDecimal;
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

  @Column(name = "key_hash", nullable = false, length = 64)
  String keyHash;

  @Column(name = "key_prefix", nullable = false, length = 32)
  String keyPrefix;

  @Column(nullable = false, length = 16)
  String source;

  @Column(name = "created_at", nullable = false, updatable = false)
  Instant createdAt;

  @Column(name = "revoked_at")
  Instant revokedAt;

  @Column(name = "user_id")
  Long userId;

  @Column(nullable = false)
  String models = "[]";

  @Column(name = "ip_allow", nullable = false)
  String ipAllow = "[]";

  @Column(nullable = false)
  String limits = "{}";

  @Column(name = "expires_at")
  Instant expiresAt;

  @Column(name = "token_quota")
  Long tokenQuota;

  @Column(name = "budget_usd", precision = 18, scale = 6)
  BigDecimal budgetUsd;

  @Column(name = "quota_period", length = 16)
  String quotaPeriod;

  @Column(name = "cache_mode", length = 16)
  String cacheMode;

  @Column(name = "previous_hash", length = 64)
  String previousHash;

  @Column(name = "previous_until")
  Instant previousUntil;

  @Column(name = "updated_at")
  Instant updatedAt;

  protected ClientKeyEntity() {
  }

  ClientKeyEntity(String name, String keyHash, String keyPrefix, String source, Instant createdAt) {
    this.name = name;
    this.keyHash = keyHash;
    this.keyPrefix = keyPrefix;
    this.source = source;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  void assign(KeySettings s) {
    userId = s.userId();
    models = JsonColumns.writeStrings(s.models());
    ipAllow = JsonColumns.writeStrings(s.ipAllow());
    limits = JsonColumns.writeLimits(s.limits());
    expiresAt = s.expiresAt();
    tokenQuota = s.tokenQuota();
    budgetUsd = s.budgetUsd();
    quotaPeriod = s.quotaPeriod();
    cacheMode = s.cacheMode();
  }

  KeySettings settings() {
    return new KeySettings(userId, JsonColumns.readStrings(models), JsonColumns.readStrings(ipAllow),
        JsonColumns.readLimits(limits), expiresAt, tokenQuota, budgetUsd, quotaPeriod,
        cacheMode);
  }


  ClientKeyRecord toRecord() {
    return new ClientKeyRecord(id, name, keyPrefix, source, createdAt, revokedAt, settings(), previousUntil,
        updatedAt);
  }
}
