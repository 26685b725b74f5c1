package io.tollgate.usage;

import java.util.List;

/** Where the request log goes: one call per batch, all rows or none. Called from one writer thread only. */
public interface UsageSink {
  void write(List<UsageEvent> batch) throws Exception;
}
