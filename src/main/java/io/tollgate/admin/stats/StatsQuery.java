package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.usage.ApiRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Totals and breakdowns of the request log over a time window, each one aggregate query over the (ts, id) index;
 * when the window holds hours already rolled up, RolledStats answers from usage_hourly and the raw rows around it.
 * Only API requests count: the log also holds every refused admin call and every stray path, which would blur
 * the numbers of the traffic the gateway is there for.
 */
final class StatsQuery {
  /** Only API requests count (usage/ApiRows says which). */
  static final String API_ROWS = ApiRows.CONDITION;
  /** At most this many groups per breakdown, the busiest; has_more says when there were others. */
  static final int MAX_GROUPS = 100;

  private final DataSource dataSource;

  StatsQuery(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void run(TimeWindow window, List<Dimension> dimensions, ObjectNode out) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      RolledSpan span = RolledSpan.of(c, window);
      if (span != null) {
        new RolledStats(window, span).run(c, dimensions, out);
        return;
      }
      try (PreparedStatement ps = base(window).prepare(c); ResultSet rs = ps.executeQuery()) {
        rs.next();
        StatsNumbers.write(rs, out.putObject("totals"));
      }
      for (Dimension d : dimensions) {
        breakdown(c, window, d, out.putObject(d.field()));
      }
    }
  }

  private static void breakdown(Connection c, TimeWindow window, Dimension d, ObjectNode out) throws SQLException {
    SqlQuery query = base(window, d.columnList() + ", ")
        .append(" GROUP BY " + d.columnList() + " ORDER BY requests DESC, " + d.tieOrder() + " LIMIT ?",
            MAX_GROUPS + 1);
    ArrayNode data = out.putArray("data");
    boolean more = false;
    try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (data.size() == MAX_GROUPS) {
          more = true;
          break;
        }
        ObjectNode group = Json.MAPPER.createObjectNode();
        d.write(rs, group);
        StatsNumbers.write(rs, group);
        data.add(group);
      }
    }
    out.put("has_more", more);
  }

  private static SqlQuery base(TimeWindow window) {
    return base(window, "");
  }

  private static SqlQuery base(TimeWindow window, String groupColumns) {
    return new SqlQuery("SELECT " + groupColumns + StatsNumbers.SELECT_LIST + " FROM usage_log").window(window)
        .and(API_ROWS);
  }
}
