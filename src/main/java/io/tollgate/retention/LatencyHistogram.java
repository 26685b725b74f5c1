package io.tollgate.retention;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Counts of durations in fixed log-scale buckets: bucket {@code floor(10 * ln(1 + ms))}, each about 10.5% wider
 * than the one before, so a percentile read from merged buckets is within about 5% of the exact one. The rollups
 * store it as text, "bucket:count,...", which adds up across hours and groups.
 */
public final class LatencyHistogram {
  /** The bucket of a column in SQL, for PostgreSQL and H2 alike. */
  public static String bucketSql(String column) {
    return "CAST(FLOOR(LN(CAST(" + column + " AS DOUBLE PRECISION) + 1) * 10) AS INTEGER)";
  }

  private final TreeMap<Integer, Long> counts = new TreeMap<>();
  private long total;

  public static LatencyHistogram parse(String text) {
    LatencyHistogram h = new LatencyHistogram();
    h.addAll(text);
    return h;
  }

  public void add(int bucket, long count) {
    counts.merge(bucket, count, Long::sum);
    total += count;
  }

  /** Adds the counts of a stored histogram; null or empty adds nothing. */
  public void addAll(String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    for (String pair : text.split(",")) {
      int colon = pair.indexOf(':');
      add(Integer.parseInt(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
    }
  }

  public long total() {
    return total;
  }

  /** The percentile as its bucket's midpoint in milliseconds, or null when nothing was counted. */
  public Double percentile(double fraction) {
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.ceil(fraction * total);
    long seen = 0;
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (seen >= Math.max(rank, 1)) {
        return midpoint(e.getKey());
      }
    }
    return midpoint(counts.lastKey());
  }

  /** The geometric middle of a bucket: the value a percentile in it is reported as. */
  static double midpoint(int bucket) {
    double low = Math.exp(bucket / 10.0) - 1;
    double high = Math.exp((bucket + 1) / 10.0) - 1;
    return low <= 0 ? high / 2 : Math.sqrt(low * high);
  }

  @Override
  public String toString() {
    StringJoiner out = new StringJoiner(",");
    counts.forEach((bucket, count) -> out.add(bucket + ":" + count));
    return out.toString();
  }
}
