package io.tollgate.persistence;

import java.time.Instant;

/**
 * One conversation session: its owner (a client key's id), its id, the dialect its messages are in, the system
 * message(s) it keeps and its history (both JSON text), and its size and times.
 */
public record SessionRecord(long keyId, String sessionId, String dialect, String systemPrompt, String messages,
    int turns, int tokens, Instant createdAt, Instant updatedAt, Instant expiresAt) {
}
