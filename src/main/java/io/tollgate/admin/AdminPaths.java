package io.tollgate.admin;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.net.URI;

/**
 * /api/v1/admin/... is the same admin API as /admin/...: the path is rewritten before Jersey matches it, so every
 * admin resource (any class whose @Path starts with "admin/") has the alias with nothing of its own. The admin
 * filter has already checked the admin key on both prefixes.
 */
@PreMatching
public final class AdminPaths implements ContainerRequestFilter {
  static final String ALIAS = "api/v1/admin";

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath(false);
    String relative = path.startsWith("/") ? path.substring(1) : path;
    if (relative.equals(ALIAS) || relative.startsWith(ALIAS + "/")) {
      String rest = relative.substring(ALIAS.length());
      if (rest.startsWith("/api-keys")) {
        rest = "/keys" + rest.substring("/api-keys".length());
      }
      URI base = request.getUriInfo().getBaseUri();
      String query = request.getUriInfo().getRequestUri().getRawQuery();
      // The path is still encoded as it came: joined as text, not through UriBuilder, which reads {..} as templates.
      request.setRequestUri(base, URI.create(base + "admin" + rest + (query == null ? "" : "?" + query)));
    }
  }
}
