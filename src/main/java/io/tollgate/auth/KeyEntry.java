package io.tollgate.auth;

import java.time.Instant;

/**
 * What a secret's hash opens, as the authenticator caches it: the caller, until when this secret works (null: until
 * revoked; set for a secret replaced by a rotation) and whether the key's user is disabled.
 */
public record KeyEntry(Caller caller, Instant secretUntil, boolean userDisabled) {
}
