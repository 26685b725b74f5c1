package io.tollgate.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.Caller;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.SessionRecord;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * GET and DELETE /context/{id} and /v1/sessions/{id} (also /sessions/{id}, /api/v1/sessions/{id}): the calling
 * key's session, read or forgotten. Another key's session, an expired one and one never made all answer 404 alike.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionsResource {
  private final Sessions sessions;

  public SessionsResource(Sessions sessions) {
    this.sessions = sessions;
  }

  @GET
  @Path("{path: context|sessions|v1/sessions|api/v1/sessions}/{id}")
  public ObjectNode read(@Context HttpServletRequest request, @PathParam("id") String id) {
    return sessions.find(caller(request), id).map(SessionsResource::json).orElseThrow(() -> notFound(id));
  }

  @DELETE
  @Path("{path: context|sessions|v1/sessions|api/v1/sessions}/{id}")
  public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
    if (!sessions.delete(caller(request), id)) {
      throw notFound(id);
    }
    return Response.noContent().build();
  }

  private static ObjectNode json(SessionRecord s) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", s.sessionId());
    out.put("dialect", s.dialect());
    out.set("system", s.systemPrompt() == null ? null : Sessions.tree(s.systemPrompt()));
    out.set("messages", Sessions.tree(s.messages()));
    out.put("turns", s.turns());
    out.put("tokens", s.tokens());
    out.put("created_at", s.createdAt().toString());
    out.put("updated_at", s.updatedAt().toString());
    out.put("expires_at", s.expiresAt().toString());
    return out;
  }

  private static GatewayException notFound(String id) {
    return GatewayException.of(ErrorType.NOT_FOUND, "No session " + id + " for this key.");
  }

  private static Caller caller(HttpServletRequest request) {
    return (Caller) request.getAttribute(Caller.ATTRIBUTE);
  }
}
