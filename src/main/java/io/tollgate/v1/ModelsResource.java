package io.tollgate.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyRules;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * GET /v1/models and /v1/models/{id}, also without the /v1 prefix and under /api/v1. A list that misses providers'
 * models says so: a 502 when it would be empty, else the X-Tollgate-Warning header.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {
  private final ModelCatalog catalog;

  ModelsResource(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @Path("{prefix: (v1/|api/v1/)?}models")
  public Response list(@Context HttpServletRequest request) {
    ModelCatalog.Listed listed = catalog.listed().allowedTo(KeyRules.of(caller(request)));
    if (listed.failures().isEmpty()) {
      return Response.ok(listed.json()).build();
    }
    if (listed.models().isEmpty() && !listed.anyListed()) {
      throw ModelListFailures.nothingListed(listed.failures());
    }
    return Response.ok(listed.json()).header(ModelListFailures.WARNING_HEADER,
        ModelListFailures.warning(listed.failures())).build();
  }

  @GET
  @Path("{prefix: (v1/|api/v1/)?}models/{id: .+}")
  public ObjectNode one(@Context HttpServletRequest request, @PathParam("id") String id) {
    if (!KeyRules.of(caller(request)).allowsModel(id)) {
      throw ModelCatalog.notFound(id);
    }
    return catalog.one(id);
  }

  private static Caller caller(HttpServletRequest request) {
    return (Caller) request.getAttribute(Caller.ATTRIBUTE);
  }
}
