package io.tollgate.usage;

import java.util.List;

/** Where the request log goes: one call per batch, all rows or none. Called from one writer thread only. */
public interface UsageSink {
  void write(List<UsageEvent> batch) throws Exception;

  /**
   * The same batch, or one beginning with it, after a write of it failed: a failure may come after the commit
   * landed, so a sink that can tell leaves out the rows it already holds.
   */
  default void writeAgain(List<UsageEvent> batch) throws Exception {
    write(batch);
  }
}
