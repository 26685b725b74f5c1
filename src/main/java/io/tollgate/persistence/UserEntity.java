package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of users. */
@Entity
@Table(name = "users")
class UserEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "users_seq")
  @SequenceGenerator(name = "users_seq", sequenceName = "users_id_seq", allocationSize = 50)
  Long id;

  @Column(nullable = false, unique = true, length = 200)
  String name;

  @Column(length = 320)
  String email;

  @Column(name = "created_at", nullable = false, updatable = false)
  Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "disabled_at")
  Instant disabledAt;

  protected UserEntity() {
  }

  UserEntity(Instant createdAt) {
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  UserRecord toRecord() {
    return new UserRecord(id, name, email, createdAt, updatedAt, disabledAt);
  }
}
