package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.auth.AdminActor;
import io.tollgate.persistence.AuditRecord;
import io.tollgate.persistence.AuditRepository;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an audit_log row for an admin change, right after it committed: the actor the admin filter named, the
 * action, the entity and its id, its admin views before and after (masked as the API shows them), the request id
 * and the client's address.
 */
final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
  private static final String REQUEST_ID = "io.tollgate.requestId"; // filter.RequestIdFilter.ATTRIBUTE

  private final AuditRepository log;

  Audit(AuditRepository log) {
    this.log = log;
  }

  void record(HttpServletRequest request, String action, String entity, String entityId, JsonNode before,
      JsonNode after) {
    Object actor = request.getAttribute(AdminActor.ATTRIBUTE);
    Object requestId = request.getAttribute(REQUEST_ID);
    try {
      log.append(new AuditRecord(null, null, actor == null ? "unknown" : actor.toString(), action, entity, entityId,
          before == null ? null : before.toString(), after == null ? null : after.toString(),
          requestId == null ? null : requestId.toString(), request.getRemoteAddr()));
    } catch (RuntimeException e) {
      // The change itself has committed; losing its audit row is logged, not turned into a failed request.
      LOG.error("could not write the audit row for {} {} {}", action, entity, entityId, e);
    }
  }
}
