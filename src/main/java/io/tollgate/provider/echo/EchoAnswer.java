package io.tollgate.provider.echo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.OpenAiRequest;

/** The text the echo model answers with, and rough token counts (whitespace-separated words). */
record EchoAnswer(String text, int promptTokens, int completionTokens) {
  static EchoAnswer of(OpenAiRequest request) {
    JsonNode body = request.body();
    String said = switch (request.endpoint()) {
      case CHAT -> lastUserText(body.get("messages"));
      case COMPLETIONS -> text(body.get("prompt"));
      case EMBEDDINGS -> text(body.get("input"));
    };
    String answer = said.isBlank() ? "(nothing to echo)" : said;
    return new EchoAnswer(answer, words(allText(body)), words(answer));
  }

  private static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if ("user".equals(m.path("role").asText())) {
        return text(m.get("content"));
      }
    }
    return text(messages.get(messages.size() - 1).get("content"));
  }

  /** A string, or the text parts of a content array joined with spaces. */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      String t = part.isTextual() ? part.asText() : part.path("text").asText("");
      if (!t.isEmpty()) {
        sb.append(sb.length() == 0 ? "" : " ").append(t);
      }
    }
    return sb.toString();
  }

  private static String allText(JsonNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null) {
      return text(body.has("prompt") ? body.get("prompt") : body.get("input"));
    }
    StringBuilder sb = new StringBuilder();
    messages.forEach(m -> sb.append(text(m.get("content"))).append(' '));
    return sb.toString();
  }

  static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
