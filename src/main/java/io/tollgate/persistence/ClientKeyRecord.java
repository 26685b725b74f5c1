package io.tollgate.persistence;

import java.time.Instant;

/** A client key as the rest of the gateway sees it: never the key, never its hash. revokedAt is null while active. */
public record ClientKeyRecord(long id, String name, String prefix, String source, Instant createdAt,
    Instant revokedAt) {

  public boolean active() {
    return revokedAt == null;
  }
}
