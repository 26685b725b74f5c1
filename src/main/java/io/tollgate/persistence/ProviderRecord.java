package io.tollgate.persistence;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored upstream provider with its type-specific options. {@link #toString()} counts the upstream keys and the
 * options and prints neither.
 */
public record ProviderRecord(String name, String type, String baseUrl, List<String> apiKeys, boolean passthrough,
    boolean stripSkPrefix, Map<String, String> options) {

  public ProviderRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public ProviderRecord(String name, String type, String baseUrl, List<String> apiKeys, boolean passthrough,
      boolean stripSkPrefix) {
    this(name, type, baseUrl, apiKeys, passthrough, stripSkPrefix, Map.of());
  }

  @Override
  public String toString() {
    return "ProviderRecord[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKeys=" + apiKeys.size()
        + " keys, passthrough=" + passthrough + ", stripSkPrefix=" + stripSkPrefix + ", options=" + options.size()
        + "]";
  }
}
