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
    List<Target> placed = new java.util.ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      placed.add(t.priority() == null ? new Target(t.provider(), t.model(), i, t.weight()) : t);
    }
    // Kept in the order they are tried (stable: a tie keeps the list's order), so no request sorts them.
    placed.sort(java.util.Comparator.comparingInt(Target::priority));
    targets = List.copyOf(placed);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    capabilities = capabilities == null ? ModelCapabilities.DEFAULT : capabilities;
  }

  public ModelDefinition(String name, List<Target> targets) {
    this(name, targets, List.of(), ModelCapabilities.DEFAULT);
  }

  public boolean wildcard() {
    return Glob.isPattern(name);
  }

  /**
   * A provider by name and the model name sent to it ({@value #PASS_THROUGH} sends the requested name); lower
   * priorities are tried first (null: the target's position in the list), and weight spreads traffic among targets
   * of one priority.
   */
  public record Target(String provider, String model, Integer priority, int weight) {
    public static final String PASS_THROUGH = "*";

    public Target {
      weight = Math.max(1, weight);
    }

    public Target(String provider, String model) {
      this(provider, model, null, 1);
    }

    public boolean passesThrough() {
      return PASS_THROUGH.equals(model);
    }

    String upstreamName(String requested) {
      return passesThrough() ? requested : model;
    }
  }
}
