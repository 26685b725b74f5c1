package io.tollgate.persistence;

import java.time.Instant;

/** One admin change: who (never their credential), what, to which entity, its views before and after (JSON). */
public record AuditRecord(Long id, Instant ts, String actor, String action, String entity, String entityId,
    String oldValue, String newValue, String requestId, String clientIp) {
}
