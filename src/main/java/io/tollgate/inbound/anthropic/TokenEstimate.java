package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Json;

/**
 * A count_tokens answer for upstreams that cannot count Anthropic's way: one token per four characters of all the
 * text the model would read (system, turns, tool inputs and results, and the tool definitions as JSON), plus 1,600
 * tokens for each image or document, Anthropic's figure for an image of about a megapixel. Good enough to decide
 * when a context is getting full, not for billing.
 */
final class TokenEstimate {
  static final int PER_MEDIA = 1600;

  private TokenEstimate() {
  }

  static int of(JsonNode body) {
    Tally tally = new Tally();
    JsonNode system = body.path("system");
    if (system.isTextual()) {
      tally.chars += system.asText().length();
    } else {
      tally.blocks(system);
    }
    for (JsonNode turn : body.path("messages")) {
      JsonNode content = turn.path("content");
      if (content.isTextual()) {
        tally.chars += content.asText().length();
      } else {
        tally.blocks(content);
      }
    }
    if (body.path("tools").isArray() && !body.get("tools").isEmpty()) {
      tally.chars += Json.string(body.get("tools")).length();
    }
    long tokens = (tally.chars + 3) / 4 + (long) tally.media * PER_MEDIA;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tokens));
  }

  private static final class Tally {
    long chars;
    int media;

    void blocks(JsonNode blocks) {
      for (JsonNode block : blocks) {
        switch (block.path("type").asText()) {
          case "text" -> chars += block.path("text").asText("").length();
          case "thinking" -> chars += block.path("thinking").asText("").length();
          case "tool_use" -> chars += block.path("name").asText("").length()
              + Json.string(block.path("input")).length();
          case "tool_result" -> {
            JsonNode content = block.path("content");
            if (content.isTextual()) {
              chars += content.asText().length();
            } else {
              blocks(content);
            }
          }
          case "image" -> media++;
          case "document" -> {
            if ("text".equals(block.path("source").path("type").asText())) {
              chars += block.path("source").path("data").asText("").length();
            } else {
              media++;
            }
          }
          default -> { } // redacted thinking and other opaque blocks
        }
      }
    }
  }
}
