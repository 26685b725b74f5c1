package io.tollgate.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the spans: handed to the batch processor, exported, failed, or dropped before it. The writer
 * starts no span while as many as the processor's queue holds ({@code OTEL_BSP_MAX_QUEUE_SIZE}) have been ended
 * but not yet handed to the exporter: the processor would drop it without a word, so it is dropped here, never
 * ended, and counted.
 */
final class SpanCounts {
  private final AtomicLong taken = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile int limit = 2048;
  private long ended; // the writer thread's alone

  void limit(int queueSize) {
    limit = queueSize;
  }

  /** On the writer thread: whether the processor's queue may be full, and the next span must be dropped. */
  boolean full() {
    if (ended - taken.get() >= limit) {
      dropped.incrementAndGet();
      return true;
    }
    return false;
  }

  /** On the writer thread: a sampled span ended, so it is on its way to the queue. */
  void ended() {
    ended++;
  }

  long exported() {
    return exported.get();
  }

  long failed() {
    return failed.get();
  }

  long dropped() {
    return dropped.get();
  }

  SpanExporter watch(SpanExporter exporter) {
    return new Counting(exporter);
  }

  private final class Counting implements SpanExporter {
    private final SpanExporter delegate;

    Counting(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      int n = spans.size();
      taken.addAndGet(n);
      CompletableResultCode result;
      try {
        result = delegate.export(spans);
      } catch (RuntimeException e) {
        failed.addAndGet(n);
        throw e;
      }
      result.whenComplete(() -> (result.isSuccess() ? exported : failed).addAndGet(n));
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
