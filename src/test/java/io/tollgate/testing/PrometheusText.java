package io.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A /metrics answer in Prometheus' text format 0.0.4, parsed and checked as a scraper would read it: every sample
 * belongs to a family declared once by a {@code # TYPE} line before it, a family's samples are together, values
 * are numbers, and each histogram's buckets grow with {@code le} up to {@code +Inf}, which equals its count.
 */
public final class PrometheusText {
  private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
      + "(counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One sample line: its name, its labels (sorted by name) and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final Map<String, String> types = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private PrometheusText(String text) {
    Set<String> finished = new HashSet<>();
    String current = null;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("# HELP ")) {
        continue;
      }
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        assertThat(types.put(type.group(1), type.group(2))).as("families declared once: " + line).isNull();
        if (current != null) {
          finished.add(current);
        }
        current = type.group(1);
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a sample line: " + line).isTrue();
      assertThat(current).as("a # TYPE line before " + line).isNotNull();
      assertThat(belongs(m.group(1), current)).as(line + " is in the family of the # TYPE above it").isTrue();
      assertThat(finished).as("a family's samples stay together").doesNotContain(current);
      samples.add(new Sample(m.group(1), labels(m.group(3), line), number(m.group(4), line)));
    }
    checkHistograms();
  }

  /** Parses a /metrics answer, checking its status and content type first. */
  public static PrometheusText of(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("").replace(" ", ""))
        .startsWith("text/plain;version=0.0.4");
    return new PrometheusText(response.body());
  }

  /** GET {@code baseUrl}/metrics, without a key, parsed. */
  public static PrometheusText scrape(String baseUrl) {
    return of(Http.get(baseUrl + "/metrics"));
  }

  public String type(String family) {
    return types.get(family);
  }

  public Set<String> families() {
    return types.keySet();
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples called {@code name} whose labels include all of {@code labels} (name, value, name, value...). */
  public List<Sample> find(String name, String... labels) {
    Map<String, String> want = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      want.put(labels[i], labels[i + 1]);
    }
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(want.entrySet()))
        .toList();
  }

  /** The sum of {@link #find}'s samples; 0 when there are none. */
  public double sum(String name, String... labels) {
    return find(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** The one sample with exactly these labels. */
  public double value(String name, String... labels) {
    List<Sample> found = find(name, labels).stream().filter(s -> s.labels().size() == labels.length / 2).toList();
    assertThat(found).as(name + " with " + String.join(",", labels)).hasSize(1);
    return found.get(0).value();
  }

  private static boolean belongs(String sample, String family) {
    String base = family.endsWith("_total") ? family.substring(0, family.length() - 6) : family;
    return sample.equals(family) || sample.equals(base + "_total") || sample.equals(base + "_created")
        || sample.equals(family + "_bucket") || sample.equals(family + "_count") || sample.equals(family + "_sum");
  }

  private static Map<String, String> labels(String text, String line) {
    Map<String, String> labels = new TreeMap<>();
    if (text == null) {
      return labels;
    }
    Matcher m = LABEL.matcher(text);
    int end = 0;
    while (m.lookingAt()) {
      labels.put(m.group(1), m.group(2));
      end = m.end();
      m.region(end, text.length());
    }
    assertThat(end).as("labels of " + line).isEqualTo(text.length());
    return labels;
  }

  private static double number(String text, String line) {
    try {
      return switch (text) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(text);
      };
    } catch (NumberFormatException e) {
      throw new AssertionError("not a number in " + line, e);
    }
  }

  /** Per series: buckets in rising order of le, never falling, the last one +Inf and equal to _count. */
  private void checkHistograms() {
    types.forEach((family, type) -> {
      if (!type.equals("histogram")) {
        return;
      }
      Map<Map<String, String>, List<Sample>> series = new HashMap<>();
      for (Sample s : find(family + "_bucket")) {
        Map<String, String> key = new TreeMap<>(s.labels());
        key.remove("le");
        series.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
      assertThat(series).as("buckets of " + family).isNotEmpty();
      series.forEach((key, buckets) -> {
        double le = Double.NEGATIVE_INFINITY;
        double count = 0;
        for (Sample b : buckets) {
          double next = number(b.labels().get("le"), family);
          assertThat(next).as(family + " buckets in rising order").isGreaterThan(le);
          assertThat(b.value()).as(family + " buckets are cumulative").isGreaterThanOrEqualTo(count);
          le = next;
          count = b.value();
        }
        assertThat(le).as(family + "'s last bucket").isEqualTo(Double.POSITIVE_INFINITY);
        String[] labels = key.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
            .toArray(String[]::new);
        assertThat(value(family + "_count", labels)).as(family + "_count").isEqualTo(count);
      });
    });
  }
}
