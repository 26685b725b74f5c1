package io.tollgate.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.cache.ResponseCache;
import io.tollgate.openai.Json;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * DELETE /admin/cache: empties the response cache's shared table and this instance's memory. Other instances keep
 * what they hold in memory until it expires (docs/CACHE.md).
 */
@Path("admin/cache")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminCacheResource {
  private final ResponseCache cache;

  public AdminCacheResource(ResponseCache cache) {
    this.cache = cache;
  }

  @DELETE
  public ObjectNode purge() {
    cache.purge();
    return Json.MAPPER.createObjectNode().put("object", "cache").put("purged", true);
  }
}
