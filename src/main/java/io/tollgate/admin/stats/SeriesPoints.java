package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.tollgate.openai.Json;
import io.tollgate.retention.LatencyHistogram;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of /admin/stats/series (a minute, hour or day each) being summed from rollup rows and raw rows alike,
 * one row of points per group (a single one without group_by), every step of the window present so a chart's axis
 * has no gaps.
 */
final class SeriesPoints {
  private static final class Point {
    long requests;
    long errors;
    long prompt;
    long completion;
    BigDecimal cost = BigDecimal.ZERO;
    final LatencyHistogram latency = new LatencyHistogram();
  }

  private final SeriesStep step;
  private final Instant first;
  private final int size;
  private final Map<List<Object>, Point[]> groups = new LinkedHashMap<>();

  /** size points from the bucket that holds from. */
  SeriesPoints(SeriesStep step, Instant from, int size) {
    this.step = step;
    this.first = step.bucketOf(from);
    this.size = size;
  }

  /** Adds to the counts of the point of one group that holds t (a rolled hour's start, say). */
  void add(List<Object> group, Instant t, long requests, long errors, long prompt, long completion,
      BigDecimal cost) {
    Point p = point(group, t);
    p.requests += requests;
    p.errors += errors;
    p.prompt += prompt;
    p.completion += completion;
    p.cost = cost == null ? p.cost : p.cost.add(cost);
  }

  /** Adds a rollup row's stored latency histogram to the point of one group that holds t. */
  void addLatency(List<Object> group, Instant t, String histogram) {
    point(group, t).latency.addAll(histogram);
  }

  /** Adds raw rows' latency bucket count to the point of one group that holds t. */
  void addLatency(List<Object> group, Instant t, int bucket, long count) {
    point(group, t).latency.add(bucket, count);
  }

  private Point point(List<Object> group, Instant t) {
    Point[] points = groups.computeIfAbsent(group, k -> new Point[size]);
    int index = (int) step.index(first, t);
    if (points[index] == null) {
      points[index] = new Point();
    }
    return points[index];
  }

  /**
   * The series, busiest group first, at most {@code maxGroups} of them; each holds the group's columns (none
   * without group_by) and its points. Answers whether groups were left out.
   */
  boolean write(Dimension dimension, int maxGroups, ArrayNode out) {
    Map<List<Object>, Point[]> all = new LinkedHashMap<>(groups);
    if (dimension == null) {
      all.putIfAbsent(List.of(), new Point[size]);
    }
    List<Map.Entry<List<Object>, Point[]>> sorted = new ArrayList<>(all.entrySet());
    sorted.sort(Comparator.comparingLong((Map.Entry<List<Object>, Point[]> e) -> -requests(e.getValue()))
        .thenComparing(e -> String.valueOf(e.getKey())));
    for (int i = 0; i < sorted.size() && i < maxGroups; i++) {
      ObjectNode series = out.addObject();
      List<Object> key = sorted.get(i).getKey();
      for (int c = 0; dimension != null && c < dimension.columns().size(); c++) {
        series.set(dimension.columns().get(c), Json.MAPPER.valueToTree(key.get(c)));
      }
      writePoints(sorted.get(i).getValue(), series.putArray("points"));
    }
    return sorted.size() > maxGroups;
  }

  private static long requests(Point[] points) {
    long sum = 0;
    for (Point p : points) {
      sum += p == null ? 0 : p.requests;
    }
    return sum;
  }

  private void writePoints(Point[] points, ArrayNode out) {
    for (int i = 0; i < size; i++) {
      Point p = points[i] == null ? new Point() : points[i];
      ObjectNode json = out.addObject();
      String start = first.plusSeconds(i * step.seconds()).toString();
      json.put("start", start);
      if (step == SeriesStep.HOUR) {
        json.put("hour", start); // the field of hourly points before step existed, kept for their readers
      }
      json.put("requests", p.requests);
      json.put("errors", p.errors);
      json.put("prompt_tokens", p.prompt);
      json.put("completion_tokens", p.completion);
      json.putRawValue("cost_usd", new RawValue(StatsNumbers.usd(p.cost)));
      ObjectNode latency = json.putObject("latency_ms");
      latency.put("p50", WindowHistograms.tenth(p.latency.percentile(0.5)));
      latency.put("p95", WindowHistograms.tenth(p.latency.percentile(0.95)));
    }
  }
}
