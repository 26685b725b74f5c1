package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.ApiKeyAuthenticator;
import io.tollgate.openai.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * GET and DELETE /v1/responses/{id} (also /responses/{id}, /api/v1/responses/{id}): the calling key's stored
 * response, read or deleted. Another key's response, an expired one and one never made all answer 404 alike.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class StoredResponsesResource {
  private final StoredResponses stored;
  private final ApiKeyAuthenticator auth;

  public StoredResponsesResource(StoredResponses stored, ApiKeyAuthenticator auth) {
    this.stored = stored;
    this.auth = auth;
  }

  @GET
  @Path("{path: responses|v1/responses|api/v1/responses}/{id}")
  public JsonNode read(@Context HttpServletRequest request, @PathParam("id") String id) {
    return StoredResponses.tree(stored.find(ResponseOwner.of(request, auth), id, null).response());
  }

  @DELETE
  @Path("{path: responses|v1/responses|api/v1/responses}/{id}")
  public ObjectNode delete(@Context HttpServletRequest request, @PathParam("id") String id) {
    stored.delete(ResponseOwner.of(request, auth), id);
    return Json.MAPPER.createObjectNode().put("id", id).put("object", "response").put("deleted", true);
  }
}
