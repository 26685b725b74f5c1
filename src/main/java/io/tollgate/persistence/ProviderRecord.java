package io.tollgate.persistence;

import java.util.List;
import java.util.Objects;

/** A stored upstream provider. {@link #toString()} counts the upstream keys and never prints them. */
public record ProviderRecord(String name, String type, String baseUrl, List<String> apiKeys, boolean passthrough,
    boolean stripSkPrefix) {

  public ProviderRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
  }

  @Override
  public String toString() {
    return "ProviderRecord[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKeys=" + apiKeys.size()
        + " keys, passthrough=" + passthrough + ", stripSkPrefix=" + stripSkPrefix + "]";
  }
}
