package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.usage.UsageQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;

/**
 * GET /admin/logs: request-log rows, newest first, filtered by time, key, user, model, provider and status, in
 * pages of {@code limit} (default 50, at most 500) that {@code after} (the previous page's {@code next}) continues;
 * GET /admin/logs/{request_id}: one request with its bodies.
 */
@Path("admin/logs")
@Produces(MediaType.APPLICATION_JSON)
public final class LogsResource {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final LogsQuery query;

  public LogsResource(UsageQueries usage) {
    this.query = new LogsQuery(usage.dataSource());
  }

  @GET
  public ObjectNode logs(@QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("key_id") String keyId, @QueryParam("user_id") String userId, @QueryParam("model") String model,
      @QueryParam("provider") String provider, @QueryParam("status") String status,
      @QueryParam("limit") String limit, @QueryParam("after") String after) throws SQLException {
    LogFilter filter = LogFilter.parse(from, to, keyId, userId, model, provider, status);
    int pageSize = QueryParams.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
    LogCursor cursor = QueryParams.absent(after) ? null : LogCursor.decode(after);
    return query.page(filter, cursor, pageSize);
  }

  /** One request's row with its request and response bodies (null unless LOG_BODIES kept them). */
  @GET
  @Path("{request_id}")
  public ObjectNode one(@PathParam("request_id") String requestId) throws SQLException {
    ObjectNode row = query.one(requestId);
    if (row == null) {
      throw GatewayException.param(ErrorType.NOT_FOUND, "No logged request with id '"
          + QueryParams.shorten(requestId) + "'.", "request_id");
    }
    return row;
  }
}
