package io.tollgate.limits;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a request is expected to use, reserved before the upstream is called and settled on its real usage after:
 * the prompt from the body's size (about four bytes a token, JSON included, so rather more than less) and the
 * output from the request's own cap, or a default when it sets none.
 */
public record Demand(long promptTokens, long outputTokens, boolean countsTokens) {
  static final long DEFAULT_OUTPUT_TOKENS = 256;
  private static final int BYTES_PER_TOKEN = 4;

  /** A request that counts only as a request (count_tokens): no tokens, no money. */
  public static final Demand REQUEST_ONLY = new Demand(0, 0, false);

  /** A chat or completion request; {@code withOutput} is false for embeddings, which produce no tokens. */
  public static Demand of(byte[] body, JsonNode json, boolean withOutput) {
    long prompt = body.length / BYTES_PER_TOKEN + 1;
    return new Demand(prompt, withOutput ? outputCap(json) : 0, true);
  }

  long tokens() {
    return promptTokens + outputTokens;
  }

  private static long outputCap(JsonNode json) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens", "max_output_tokens"}) {
      JsonNode cap = json.path(field);
      if (cap.canConvertToLong() && cap.asLong() > 0) {
        return cap.asLong();
      }
    }
    return DEFAULT_OUTPUT_TOKENS;
  }
}
