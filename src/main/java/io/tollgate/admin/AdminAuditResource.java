package io.tollgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.AuditRecord;
import io.tollgate.persistence.AuditRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** GET /admin/audit: admin changes newest first, paged by cursor; filters entity, entity_id, action, from, to. */
@Path("admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminAuditResource {
  private final AuditRepository audit;

  AdminAuditResource(AuditRepository audit) {
    this.audit = audit;
  }

  @GET
  public ObjectNode list(@Context UriInfo uri) {
    Page page = Page.of(uri);
    MultivaluedMap<String, String> q = uri.getQueryParameters();
    AuditRepository.Filter filter = new AuditRepository.Filter(q.getFirst("entity"), q.getFirst("entity_id"),
        q.getFirst("action"), time(q.getFirst("from"), "from"), time(q.getFirst("to"), "to"),
        page.after() == null ? null : Page.number(page.after()));
    List<AuditRecord> rows = audit.page(filter, page.limit() + 1);
    boolean more = rows.size() > page.limit();
    List<AuditRecord> shown = more ? rows.subList(0, page.limit()) : rows;
    return Page.render(shown.stream().map(AdminAuditResource::view).toList(),
        more ? String.valueOf(shown.get(shown.size() - 1).id()) : null);
  }

  private static JsonNode stored(String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }

  private static Instant time(String value, String param) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, param + " must be an ISO-8601 date-time with an offset,"
          + " such as 2026-12-31T23:59:59Z", param);
    }
  }

  private static ObjectNode view(AuditRecord r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("object", "audit_entry");
    o.put("ts", r.ts().toString());
    o.put("actor", r.actor());
    o.put("action", r.action());
    o.put("entity", r.entity());
    o.put("entity_id", r.entityId());
    o.set("old_value", stored(r.oldValue()));
    o.set("new_value", stored(r.newValue()));
    o.put("request_id", r.requestId());
    o.put("client_ip", r.clientIp());
    return o;
  }
}
