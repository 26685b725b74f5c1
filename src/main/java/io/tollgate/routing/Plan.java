package io.tollgate.routing;

import io.tollgate.provider.ModelCapabilities;
import java.util.List;

/**
 * Everything that may serve one requested model: its targets, each a provider with the name sent to it, ordered by
 * priority (lowest first), and the model entry's capabilities. No credential is picked yet; the failover engine
 * does that per attempt.
 */
public record Plan(String publicModel, ModelCapabilities capabilities, List<Candidate> candidates) {
  public Plan {
    candidates = List.copyOf(candidates);
  }

  /** One target of the plan. */
  public record Candidate(Provider provider, String upstreamModel, int priority, int weight) {
    /** The breaker's name: a provider and a model, since one model of a provider can fail while others work. */
    public String target() {
      return provider.name() + "/" + upstreamModel;
    }
  }
}
