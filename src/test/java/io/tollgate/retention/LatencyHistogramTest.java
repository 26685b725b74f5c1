package io.tollgate.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  private static int bucket(long ms) {
    return (int) Math.floor(Math.log(ms + 1.0) * 10); // what LatencyHistogram.bucketSql computes in the database
  }

  @Test
  void percentilesOfMergedHistogramsAreWithinABucketOfTheExactValue() {
    LatencyHistogram first = new LatencyHistogram();
    LatencyHistogram second = new LatencyHistogram();
    for (long ms = 1; ms <= 1000; ms++) {
      (ms % 2 == 0 ? first : second).add(bucket(ms), 1);
    }
    LatencyHistogram merged = LatencyHistogram.parse(first.toString());
    merged.addAll(second.toString());

    assertThat(merged.total()).isEqualTo(1000);
    assertThat(merged.percentile(0.5)).isCloseTo(500.0, within(500 * 0.06));
    assertThat(merged.percentile(0.99)).isCloseTo(990.0, within(990 * 0.06));
    assertThat(new LatencyHistogram().percentile(0.5)).isNull();
  }

  @Test
  void storesAsBucketCountPairs() {
    LatencyHistogram h = new LatencyHistogram();
    h.add(3, 2);
    h.add(1, 5);
    h.add(3, 1);
    assertThat(h.toString()).isEqualTo("1:5,3:3");
    assertThat(LatencyHistogram.parse("").total()).isZero();
  }
}
