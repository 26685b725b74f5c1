package io.tollgate.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
  public Response list() {
    ModelCatalog.Listed listed = catalog.listed();
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
  public ObjectNode one(@PathParam("id") String id) {
    return catalog.one(id);
  }
}
