package io.tollgate.persistence;

import java.util.List;
import java.util.Objects;

/**
 * A stored model entry: its public name (or pattern), the provider targets that serve it in order of preference,
 * its other public names, and its capabilities (a max_tokens cap or null; streaming and tools allowed or not).
 */
public record ModelRecord(String name, List<Target> targets, List<String> aliases, Integer maxTokens,
    boolean supportsStreaming, boolean supportsTools) {

  public ModelRecord {
    Objects.requireNonNull(name, "name");
    targets = targets == null ? List.of() : List.copyOf(targets);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  /** An entry with no aliases and every capability. */
  public ModelRecord(String name, List<Target> targets) {
    this(name, targets, List.of(), null, true, true);
  }

  /** A provider by name, the model name sent to it, its priority (null: its position) and weight (null: 1). */
  public record Target(String provider, String model, Integer priority, Integer weight) {
    public Target(String provider, String model) {
      this(provider, model, null, null);
    }
  }
}
