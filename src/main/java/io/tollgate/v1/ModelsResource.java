package io.tollgate.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /v1/models and /v1/models/{id}, also without the /v1 prefix and under /api/v1. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {
  private final ModelCatalog catalog;

  ModelsResource(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @Path("{prefix: (v1/|api/v1/)?}models")
  public ObjectNode list() {
    return catalog.list();
  }

  @GET
  @Path("{prefix: (v1/|api/v1/)?}models/{id: .+}")
  public ObjectNode one(@PathParam("id") String id) {
    return catalog.one(id);
  }
}
