package io.tollgate.persistence;

import java.time.Instant;

/**
 * A client key as the rest of the gateway sees it: never the key, never its hash. revokedAt is null while active;
 * previousUntil is when the secret a rotation replaced stops working (null: no such secret).
 */
public record ClientKeyRecord(long id, String name, String prefix, String source, Instant createdAt,
    Instant revokedAt, KeySettings settings, Instant previousUntil, Instant updatedAt) {

  public ClientKeyRecord(long id, String name, String prefix, String source, Instant createdAt, Instant revokedAt) {
    this(id, name, prefix, source, createdAt, revokedAt, KeySettings.NONE, null, null);
  }

  public boolean active() {
    return revokedAt == null;
  }
}
