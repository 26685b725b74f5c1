package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.tollgate.openai.Json;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One usage_log row as /admin/logs shows it: every column, under its own name. The row never holds a key, only
 * the client key's id and name; attempt_log is the JSON array it was written as.
 */
final class LogRows {
  private LogRows() {
  }

  static ObjectNode json(ResultSet rs) throws SQLException {
    ObjectNode row = Json.MAPPER.createObjectNode();
    row.put("id", rs.getLong("id"));
    row.put("object", "request_log");
    row.put("ts", SqlQuery.instant(rs, "ts").toString());
    row.put("request_id", rs.getString("request_id"));
    row.put("trace_id", rs.getString("trace_id"));
    row.put("key_id", SqlQuery.longOrNull(rs, "key_id"));
    row.put("key_name", rs.getString("key_name"));
    row.put("user_id", SqlQuery.longOrNull(rs, "user_id"));
    row.put("method", rs.getString("method"));
    row.put("path", rs.getString("path"));
    row.put("model", rs.getString("model"));
    row.put("provider", rs.getString("provider"));
    row.put("upstream_model", rs.getString("upstream_model"));
    row.put("stream", rs.getBoolean("stream"));
    row.put("status", rs.getInt("status"));
    row.put("latency_ms", SqlQuery.longOrNull(rs, "latency_ms"));
    row.put("ttfb_ms", SqlQuery.longOrNull(rs, "ttfb_ms"));
    row.put("prompt_tokens", SqlQuery.intOrNull(rs, "prompt_tokens"));
    row.put("completion_tokens", SqlQuery.intOrNull(rs, "completion_tokens"));
    row.put("cached_tokens", SqlQuery.intOrNull(rs, "cached_tokens"));
    row.put("reasoning_tokens", SqlQuery.intOrNull(rs, "reasoning_tokens"));
    BigDecimal cost = rs.getBigDecimal("cost_usd");
    if (cost == null) {
      row.putNull("cost_usd");
    } else {
      row.putRawValue("cost_usd", new RawValue(StatsNumbers.usd(cost)));
    }
    row.put("usage_source", rs.getString("usage_source"));
    row.put("attempts", rs.getInt("attempts"));
    row.set("attempt_log", attemptLog(rs.getString("attempt_log")));
    row.put("error", rs.getString("error"));
    return row;
  }

  /** The stored JSON array; text cut at the column's limit is no longer JSON, and is shown as the text it is. */
  private static JsonNode attemptLog(String stored) {
    if (stored == null) {
      return Json.MAPPER.nullNode();
    }
    try {
      return Json.MAPPER.readTree(stored);
    } catch (Exception e) {
      return Json.MAPPER.getNodeFactory().textNode(stored);
    }
  }
}
