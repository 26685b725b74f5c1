package io.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reasoning text of a chat message or delta, which OpenAI's chat API itself never sends: DeepSeek and vLLM call
 * it {@code reasoning_content}, OpenRouter and Ollama {@code reasoning}; the Anthropic and Gemini adapters write
 * thinking as {@code reasoning_content}.
 */
public final class Reasoning {
  private Reasoning() {
  }

  /** The text, or "" when there is none. */
  public static String of(JsonNode messageOrDelta) {
    JsonNode r = messageOrDelta.path("reasoning_content");
    if (!r.isTextual()) {
      r = messageOrDelta.path("reasoning");
    }
    return r.isTextual() ? r.asText() : "";
  }
}
