package io.tollgate.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

/**
 * What every admin collection serves the same way: GET (a page of views) and GET {id} (one view, 404 if none). The
 * id may hold slashes, as model names do.
 *
 * @param <R> the stored record
 */
public abstract class AdminCollection<R> {
  /** The collection's shared behaviour. */
  abstract Crud<R> crud();

  @GET
  public ObjectNode list(@Context UriInfo uri) {
    return crud().list(uri);
  }

  @GET
  @Path("{id: .+}")
  public ObjectNode one(@PathParam("id") String id) {
    return crud().get(id);
  }
}
