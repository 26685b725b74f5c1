package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Stats over a window that holds rolled-up hours: counts, tokens and cost summed from usage_hourly over the rolled
 * span and from the raw rows outside it (the same totals the raw rows alone give); percentiles from histograms.
 */
final class RolledStats {
  private static final String RAW = "COUNT(*) AS requests, SUM(CASE WHEN status < 400 THEN 1 ELSE 0 END) AS"
      + " successes, SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
      + " SUM(cached_tokens) AS cached_tokens, SUM(reasoning_tokens) AS reasoning_tokens, SUM(cost_usd) AS cost_usd,"
      + " COUNT(cost_usd) AS priced_requests";
  private static final String ROLLED = "SUM(requests), SUM(CASE WHEN status < 400 THEN requests ELSE 0 END),"
      + " SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(cost_usd),"
      + " SUM(priced_requests)";
  private static final String OUTER = "SUM(requests) AS requests, SUM(successes) AS successes,"
      + " SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
      + " SUM(cached_tokens) AS cached_tokens, SUM(reasoning_tokens) AS reasoning_tokens, SUM(cost_usd) AS cost_usd,"
      + " SUM(priced_requests) AS priced_requests";

  private final TimeWindow window;
  private final RolledSpan span;

  RolledStats(TimeWindow window, RolledSpan span) {
    this.window = window;
    this.span = span;
  }

  void run(Connection c, List<Dimension> dimensions, ObjectNode out) throws SQLException {
    WindowHistograms histograms = new WindowHistograms(dimensions);
    histograms.load(c, window, span);
    ObjectNode totals = out.putObject("totals");
    try (PreparedStatement ps = numbers("", "").prepare(c); ResultSet rs = ps.executeQuery()) {
      rs.next();
      StatsNumbers.write(rs, totals, false);
    }
    histograms.writeTotals(totals);
    for (Dimension d : dimensions) {
      breakdown(c, d, histograms, out.putObject(d.field()));
    }
  }

  private void breakdown(Connection c, Dimension d, WindowHistograms histograms, ObjectNode out)
      throws SQLException {
    SqlQuery query = numbers(d.columnList() + ", ", " GROUP BY " + d.columnList())
        .append(" ORDER BY requests DESC, " + d.tieOrder() + " LIMIT ?", StatsQuery.MAX_GROUPS + 1);
    ArrayNode data = out.putArray("data");
    boolean more = false;
    try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (data.size() == StatsQuery.MAX_GROUPS) {
          more = true;
          break;
        }
        ObjectNode group = Json.MAPPER.createObjectNode();
        d.write(rs, group);
        StatsNumbers.write(rs, group, false);
        histograms.writeGroup(d, WindowHistograms.key(rs, d), group);
        data.add(group);
      }
    }
    out.put("has_more", more);
  }

  /** The raw part and the rolled part, each grouped, summed once more over both. */
  private SqlQuery numbers(String columns, String groupBy) {
    SqlQuery query = new SqlQuery("SELECT " + columns + OUTER + " FROM (SELECT " + columns + RAW + " FROM usage_log");
    span.rawOf(query, window).and(StatsQuery.API_ROWS);
    query.then(groupBy + " UNION ALL SELECT " + columns + ROLLED + " FROM usage_hourly");
    span.rolledOf(query);
    return query.then(groupBy + ") rolled_and_raw" + groupBy);
  }
}
