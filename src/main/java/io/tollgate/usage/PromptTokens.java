package io.tollgate.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.OpenAiRequest;

/**
 * A request's prompt tokens counted the way OpenAI's cookbook does for its chat models: each message's role, name
 * and text (counted apart), plus {@value #PER_MESSAGE} tokens of framing per message and {@value #REPLY_PRIMING} that prime the reply.
 * A completion's prompt and an embedding's input are counted as they are (token arrays by their length). Tool
 * definitions, images and audio are not counted: the count is a floor for such requests.
 */
public final class PromptTokens {
  static final int PER_MESSAGE = 3;
  static final int REPLY_PRIMING = 3;

  private PromptTokens() {
  }

  public static int ofOpenAi(Encoding encoding, OpenAiRequest request) {
    JsonNode body = request.body();
    if (request.endpoint() == Endpoint.CHAT) {
      return messages(encoding, body.path("messages"), 0);
    }
    return plain(encoding, request.endpoint() == Endpoint.EMBEDDINGS ? body.path("input") : body.path("prompt"));
  }

  /** An Anthropic Messages body: its system prompt and its turns. */
  public static int ofAnthropic(Encoding encoding, JsonNode body) {
    JsonNode system = body.path("system");
    int systemTokens = system.isMissingNode() || system.isNull() ? 0
        : PER_MESSAGE + TokenCounter.count(encoding, text(system));
    return messages(encoding, body.path("messages"), systemTokens);
  }

  private static int messages(Encoding encoding, JsonNode messages, int start) {
    int tokens = start;
    for (JsonNode m : messages) {
      StringBuilder text = new StringBuilder(text(m.path("content")));
      for (JsonNode call : m.path("tool_calls")) {
        text.append(call.path("function").path("name").asText("")).append(call.path("function").path("arguments")
            .asText(""));
      }
      tokens += PER_MESSAGE + TokenCounter.count(encoding, m.path("role").asText(""))
          + TokenCounter.count(encoding, text);
      if (m.path("name").isTextual()) {
        tokens += 1 + TokenCounter.count(encoding, m.get("name").asText());
      }
    }
    return tokens + REPLY_PRIMING;
  }

  /** A string, or the text of content parts and blocks (text, tool inputs and results), nested as they come. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.isTextual()) {
        text.append(part.asText());
        continue;
      }
      text.append(part.path("text").asText(""));
      if (part.path("input").isObject()) {
        text.append(part.get("input").toString());
      }
      if (part.has("content")) {
        text.append(text(part.get("content")));
      }
    }
    return text.toString();
  }

  private static int plain(Encoding encoding, JsonNode input) {
    if (input.isTextual()) {
      return TokenCounter.count(encoding, input.asText());
    }
    int tokens = 0;
    for (JsonNode item : input) {
      tokens += item.isTextual() ? TokenCounter.count(encoding, item.asText()) : item.isArray() ? item.size() : 1;
    }
    return tokens;
  }
}
