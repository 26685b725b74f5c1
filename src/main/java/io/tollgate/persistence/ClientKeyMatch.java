package io.tollgate.persistence;

import java.time.Instant;

/**
 * An active key found by a presented secret's hash: the key, until when that secret works (null: until revoked; set
 * when it is the secret a rotation replaced) and whether the key's user is disabled.
 */
public record ClientKeyMatch(ClientKeyRecord key, Instant secretUntil, boolean userDisabled) {
}
