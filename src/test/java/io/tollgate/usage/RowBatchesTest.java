package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowBatchesTest {
  @Test
  void aBatchIsWrittenAgainAsSuchAfterAFailedWriteAndPlainlyOnceWritesWork() {
    List<String> calls = new ArrayList<>();
    UsageSink sink = new UsageSink() {
      @Override
      public void write(List<UsageEvent> batch) throws Exception {
        calls.add("write " + batch.size());
        if (calls.size() == 1) {
          throw new java.sql.SQLException("connection closed during commit");
        }
      }

      @Override
      public void writeAgain(List<UsageEvent> batch) {
        calls.add("again " + batch.size());
      }
    };
    RowBatches rows = new RowBatches(sink, 10, 100, Duration.ofMillis(1), Duration.ofMillis(1));
    rows.add(row("a"));
    rows.add(row("b"));

    assertThat(rows.writeBatch()).isZero();
    assertThat(rows.writeBatch()).isEqualTo(2);
    rows.add(row("c"));
    assertThat(rows.writeBatch()).isEqualTo(1);

    assertThat(calls).containsExactly("write 2", "again 2", "write 1");
  }

  private static UsageEvent row(String id) {
    return new UsageEvent(Instant.now(), id, null, null, "POST", "/v1/chat/completions", "m", "p", "u", false, 200,
        1, null, null, null, null);
  }
}
