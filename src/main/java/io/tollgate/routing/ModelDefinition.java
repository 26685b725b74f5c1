package io.tollgate.routing;

import io.tollgate.provider.ModelCapabilities;
import java.util.List;

/**
 * A public model name (or a {@link Glob} pattern such as {@code deepseek-*}), its other public names, the targets
 * that serve it in order of preference, and what requests to it may do.
 */
public record ModelDefinition(String name, List<Target> targets, List<String> aliases,
    ModelCapabilities capabilities) {

  public ModelDefinition {
    targets = List.copyOf(targets);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    capabilities = capabilities == null ? ModelCapabilities.DEFAULT : capabilities;
  }

  public ModelDefinition(String name, List<Target> targets) {
    this(name, targets, List.of(), ModelCapabilities.DEFAULT);
  }

  public boolean wildcard() {
    return Glob.isPattern(name);
  }

  /** A provider by name and the model name sent to it; {@value #PASS_THROUGH} sends the requested name. */
  public record Target(String provider, String model) {
    public static final String PASS_THROUGH = "*";

    public boolean passesThrough() {
      return PASS_THROUGH.equals(model);
    }

    String upstreamName(String requested) {
      return passesThrough() ? requested : model;
    }
  }
}
