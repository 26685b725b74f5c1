package io.tollgate.routing;

import java.util.List;

/** A public model name and the targets that serve it, in order of preference. */
public record ModelDefinition(String name, List<Target> targets) {
  public ModelDefinition {
    targets = List.copyOf(targets);
  }

  /** A provider by name and the model name sent to it. */
  public record Target(String provider, String model) {
  }
}
