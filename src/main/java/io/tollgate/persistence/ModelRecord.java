package io.tollgate.persistence;

import java.util.List;
import java.util.Objects;

/** A stored public model name and the provider targets that serve it, in order of preference. */
public record ModelRecord(String name, List<Target> targets) {

  public ModelRecord {
    Objects.requireNonNull(name, "name");
    targets = targets == null ? List.of() : List.copyOf(targets);
  }

  /** A provider by name and the model name sent to it. */
  public record Target(String provider, String model) {
  }
}
