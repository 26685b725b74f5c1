package io.tollgate.provider;

/**
 * What a model entry lets a request do: a cap on the tokens it may ask for (null: none), whether the upstream may
 * be called with streaming (when not, the gateway asks for a whole answer and replays it as a stream), and whether
 * the model takes tools.
 */
public record ModelCapabilities(Integer maxTokens, boolean streaming, boolean tools) {
  public static final ModelCapabilities DEFAULT = new ModelCapabilities(null, true, true);

  public ModelCapabilities {
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1");
    }
  }
}
