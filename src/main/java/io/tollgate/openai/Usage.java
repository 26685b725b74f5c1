package io.tollgate.openai;

/**
 * Token counts from an upstream's answer; a count the upstream did not give is null. Cached tokens are part of the
 * prompt tokens, reasoning tokens part of the completion tokens, as in OpenAI's usage object.
 */
public record Usage(Integer promptTokens, Integer completionTokens, Integer cachedTokens, Integer reasoningTokens) {
  public static final Usage NONE = new Usage(null, null);

  public Usage(Integer promptTokens, Integer completionTokens) {
    this(promptTokens, completionTokens, null, null);
  }
}
