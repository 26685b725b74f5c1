package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** A row of stored_responses. Never leaves this package: callers get a {@link StoredResponseRecord}. */
@Entity
@Table(name = "stored_responses")
class StoredResponseEntity {
  @Id
  @Column(length = 64)
  String id;

  @Column(name = "key_id", updatable = false)
  Long keyId;

  @Column(name = "key_hash", updatable = false, length = 64)
  String keyHash;

  @Column(nullable = false, updatable = false)
  String model;

  @Column(nullable = false, updatable = false)
  String response;

  @Column(name = "input_items", nullable = false, updatable = false)
  String inputItems;

  @Column(name = "created_at", nullable = false, updatable = false)
  Instant createdAt;

  @Column(name = "expires_at", nullable = false, updatable = false)
  Instant expiresAt;

  static StoredResponseEntity of(StoredResponseRecord r) {
    StoredResponseEntity e = new StoredResponseEntity();
    e.id = r.id();
    e.keyId = r.keyId();
    e.keyHash = r.keyHash();
    e.model = r.model();
    e.response = r.response();
    e.inputItems = r.inputItems();
    e.createdAt = r.createdAt();
    e.expiresAt = r.expiresAt();
    return e;
  }

  StoredResponseRecord toRecord() {
    return new StoredResponseRecord(id, keyId, keyHash, model, response, inputItems, createdAt, expiresAt);
  }

  boolean ownedBy(Long key, String hash) {
    return Objects.equals(keyId, key) && Objects.equals(keyHash, hash);
  }
}
