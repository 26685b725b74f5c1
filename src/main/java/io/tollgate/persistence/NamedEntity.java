package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/**
 * A row found by its unique name, with when it was made and last changed: what providers and models have in common.
 *
 * @param <R> the record it is read as
 */
@MappedSuperclass
abstract class NamedEntity<R> {
  @Column(nullable = false, unique = true, length = 200)
  String name;

  @Column(name = "created_at", nullable = false, updatable = false)
  Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  /** Copies the record's values in; true if anything changed. */
  abstract boolean assign(R r);

  abstract R toRecord();
}
