package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The numbers every stats entry has, the totals and each group alike: one SELECT list of aggregates that
 * PostgreSQL and H2 2.x both run (PERCENTILE_CONT ... WITHIN GROUP is in both), and its row as JSON.
 */
final class StatsNumbers {
  static final String SELECT_LIST = "COUNT(*) AS requests,"
      + " SUM(CASE WHEN status < 400 THEN 1 ELSE 0 END) AS successes,"
      + " SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
      + " SUM(cached_tokens) AS cached_tokens, SUM(reasoning_tokens) AS reasoning_tokens,"
      + " SUM(cost_usd) AS cost_usd, COUNT(cost_usd) AS priced_requests,"
      + percentile(0.5, "latency_ms", "latency_p50") + ", " + percentile(0.95, "latency_ms", "latency_p95") + ", "
      + percentile(0.99, "latency_ms", "latency_p99") + ", " + percentile(0.5, "ttfb_ms", "ttfb_p50");

  private StatsNumbers() {
  }

  private static String percentile(double fraction, String column, String alias) {
    return "PERCENTILE_CONT(" + fraction + ") WITHIN GROUP (ORDER BY " + column + ") AS " + alias;
  }

  static void write(ResultSet rs, ObjectNode out) throws SQLException {
    write(rs, out, true);
  }

  /** The numbers of a row; its percentiles too unless they come from elsewhere (histograms). */
  static void write(ResultSet rs, ObjectNode out, boolean withPercentiles) throws SQLException {
    long requests = rs.getLong("requests");
    long successes = rs.getLong("successes");
    out.put("requests", requests);
    out.put("successes", successes);
    out.put("failures", requests - successes);
    out.put("success_rate", requests == 0 ? null : BigDecimal.valueOf(successes)
        .divide(BigDecimal.valueOf(requests), 4, RoundingMode.HALF_EVEN).doubleValue());
    out.put("prompt_tokens", rs.getLong("prompt_tokens"));
    out.put("completion_tokens", rs.getLong("completion_tokens"));
    out.put("cached_tokens", rs.getLong("cached_tokens"));
    out.put("reasoning_tokens", rs.getLong("reasoning_tokens"));
    out.putRawValue("cost_usd", new RawValue(usd(rs.getBigDecimal("cost_usd"))));
    out.put("priced_requests", rs.getLong("priced_requests"));
    if (withPercentiles) {
      latency(out, millis(rs, "latency_p50"), millis(rs, "latency_p95"), millis(rs, "latency_p99"),
          millis(rs, "ttfb_p50"));
    }
  }

  static void latency(ObjectNode out, Double p50, Double p95, Double p99, Double ttfbP50) {
    ObjectNode latency = out.putObject("latency_ms");
    latency.put("p50", p50);
    latency.put("p95", p95);
    latency.put("p99", p99);
    out.putObject("ttfb_ms").put("p50", ttfbP50);
  }

  /** Dollars as a plain decimal number (never 1E-7), without trailing zeros; 0 when nothing was priced. */
  static String usd(BigDecimal sum) {
    if (sum == null || sum.signum() == 0) {
      return "0";
    }
    return sum.stripTrailingZeros().toPlainString();
  }

  /** A percentile to a tenth of a millisecond, or null when no row had the value. */
  static Double millis(ResultSet rs, String column) throws SQLException {
    Object value = rs.getObject(column);
    if (value == null) {
      return null;
    }
    return Math.round(((Number) value).doubleValue() * 10) / 10.0;
  }
}
