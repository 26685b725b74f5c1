package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.usage.UsageQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * GET /admin/stats: the API requests of a time window (default the last 24 hours) in totals and broken down by
 * model, key, user and provider (or what group_by names), with this instance's uptime. docs/STATS.md says what
 * each number means. GET /admin/stats/series: the same requests minute, hour or day at a time, for charts.
 */
@Path("admin/stats")
@Produces(MediaType.APPLICATION_JSON)
public final class StatsResource {
  private final StatsQuery query;
  private final SeriesQuery series;
  private final Instant started;
  private final Clock clock;

  public StatsResource(UsageQueries usage, Clock clock) {
    this.query = new StatsQuery(usage.dataSource());
    this.series = new SeriesQuery(usage.dataSource());
    this.started = usage.started();
    this.clock = clock;
  }

  @GET
  public ObjectNode stats(@QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("group_by") String groupBy) throws SQLException {
    Instant now = clock.instant();
    TimeWindow window = TimeWindow.forStats(from, to, now);
    var dimensions = Dimension.parse(groupBy);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("object", "stats");
    out.putObject("window").put("from", window.from().toString()).put("to", window.to().toString());
    out.put("started_at", started.toString());
    out.put("uptime_seconds", Duration.between(started, now).toSeconds());
    query.run(window, dimensions, out);
    return out;
  }

  /** GET /admin/stats/series: the window step by step, one series per group of group_by (model, key, provider). */
  @GET
  @Path("series")
  public ObjectNode series(@QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("group_by") String groupBy, @QueryParam("step") String stepParam) throws SQLException {
    TimeWindow window = TimeWindow.forStats(from, to, clock.instant());
    Dimension dimension = SeriesQuery.dimension(groupBy);
    SeriesStep step = SeriesStep.parse(stepParam, window);
    int points = step.points(window, SeriesStep.named(stepParam));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("object", "stats_series");
    out.putObject("window").put("from", window.from().toString()).put("to", window.to().toString());
    out.put("group_by", dimension == null ? null : dimension.param());
    out.put("step", step.param());
    series.run(window, step, points, dimension, out);
    return out;
  }
}
