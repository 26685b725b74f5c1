package io.tollgate.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer never hands the batch processor more spans than its queue holds, and every span is accounted for. */
class SpanCountsTest {
  /** Answers each export with a result the test completes. */
  private static final class Collector implements SpanExporter {
    final List<CompletableResultCode> pending = new ArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = new CompletableResultCode();
      pending.add(result);
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void aFullQueueDropsAndCountsUntilTheExporterTakesSpans() {
    SpanCounts counts = new SpanCounts();
    counts.limit(2);
    Collector collector = new Collector();
    SpanExporter exporter = counts.watch(collector);
    assertThat(counts.full()).isFalse();
    counts.ended();
    counts.ended();
    assertThat(counts.full()).isTrue();
    assertThat(counts.full()).isTrue();
    assertThat(counts.dropped()).isEqualTo(2);

    exporter.export(Collections.nCopies(2, null));
    assertThat(counts.full()).as("taken by the exporter: out of the queue").isFalse();
    assertThat(counts.exported()).isZero();
    collector.pending.get(0).succeed();
    assertThat(counts.exported()).isEqualTo(2);

    counts.ended();
    exporter.export(Collections.nCopies(1, null));
    collector.pending.get(1).fail();
    assertThat(counts.failed()).isEqualTo(1);
    assertThat(counts.dropped()).isEqualTo(2);
  }
}
