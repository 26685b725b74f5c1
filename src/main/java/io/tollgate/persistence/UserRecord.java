package io.tollgate.persistence;

import java.time.Instant;

/** A person or team that client keys belong to; disabledAt is null while enabled. */
public record UserRecord(long id, String name, String email, Instant createdAt, Instant updatedAt,
    Instant disabledAt) {
}
