package io.tollgate.stream;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many event streams are open now: one per reply that started streaming and has not ended. A {@link LongAdder}
 * so the request threads that open and end streams never contend on one counter; /metrics reads the sum.
 */
public final class OpenStreams {
  private final LongAdder open = new LongAdder();

  void opened() {
    open.increment();
  }

  void closed() {
    open.decrement();
  }

  public long count() {
    return open.sum();
  }
}
