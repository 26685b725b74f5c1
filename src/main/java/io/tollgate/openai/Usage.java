package io.tollgate.openai;

/** Token counts from an upstream's answer; a count the upstream did not give is null. */
public record Usage(Integer promptTokens, Integer completionTokens) {
  public static final Usage NONE = new Usage(null, null);
}
