package io.tollgate.persistence;

import java.time.Instant;

/**
 * One stored response: its id ({@code resp_...}), its owner (a client key's id, or the hash of a key from API_KEYS,
 * or neither for a request without a key), its model, the Response JSON and the JSON array of the input items it
 * answered, and its times.
 */
public record StoredResponseRecord(String id, Long keyId, String keyHash, String model, String response,
    String inputItems, Instant createdAt, Instant expiresAt) {
}
