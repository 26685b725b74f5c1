package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One page of request-log rows, newest first, after a cursor: a keyset query down the (ts, id) index. */
final class LogsQuery {
  private static final String COLUMNS = "id, ts, request_id, key_id, key_name, user_id, method, path, model,"
      + " provider, upstream_model, stream, status, latency_ms, ttfb_ms, prompt_tokens, completion_tokens,"
      + " cached_tokens, reasoning_tokens, cost_usd, usage_source, attempts, attempt_log, error, trace_id";

  private final DataSource dataSource;

  LogsQuery(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The newest row with this request id and its bodies (null when none were kept), or null if there is none. */
  ObjectNode one(String requestId) throws SQLException {
    SqlQuery row = new SqlQuery("SELECT " + COLUMNS + " FROM usage_log").and("request_id = ?", requestId)
        .append(" ORDER BY ts DESC, id DESC LIMIT 1");
    SqlQuery bodies = new SqlQuery("SELECT request_body, response_body FROM usage_bodies")
        .and("request_id = ?", requestId).append(" ORDER BY ts DESC LIMIT 1");
    try (Connection c = dataSource.getConnection()) {
      ObjectNode out;
      try (PreparedStatement ps = row.prepare(c); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        out = LogRows.json(rs);
      }
      try (PreparedStatement ps = bodies.prepare(c); ResultSet rs = ps.executeQuery()) {
        boolean found = rs.next();
        out.put("request_body", found ? rs.getString("request_body") : null);
        out.put("response_body", found ? rs.getString("response_body") : null);
      }
      return out;
    }
  }

  /** The list answer: {"object":"list","data":[...],"has_more":..,"next":cursor or null}. */
  ObjectNode page(LogFilter filter, LogCursor after, int limit) throws SQLException {
    SqlQuery query = filter.applyTo(new SqlQuery("SELECT " + COLUMNS + " FROM usage_log"));
    if (after != null) {
      // "ts <= ?" on its own, so the database starts its index scan at the cursor rather than filtering its way
      // down from the newest row; a row value comparison would say the same but not every planner seeks with it.
      query.and("ts <= ? AND (ts < ? OR id < ?)", after.ts(), after.ts(), after.id());
    }
    query.append(" ORDER BY ts DESC, id DESC LIMIT ?", limit + 1);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("object", "list");
    ArrayNode data = out.putArray("data");
    LogCursor last = null;
    boolean more = false;
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = query.prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (data.size() == limit) {
          more = true;
          break;
        }
        data.add(LogRows.json(rs));
        last = new LogCursor(SqlQuery.instant(rs, "ts"), rs.getLong("id"));
      }
    }
    out.put("has_more", more);
    out.put("next", more ? last.encode() : null);
    return out;
  }
}
