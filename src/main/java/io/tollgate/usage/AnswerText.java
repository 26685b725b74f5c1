package io.tollgate.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Json;

/**
 * The generated text of an answer, in whichever format it was relayed, for counting its tokens: content, reasoning,
 * and tool calls' names and arguments, all of which the model generated and an upstream bills as output.
 */
public final class AnswerText {
  private AnswerText() {
  }

  /** A whole OpenAI answer: chat {@code message}s or completion {@code text}s. */
  public static String ofOpenAiAnswer(byte[] json) {
    StringBuilder text = new StringBuilder();
    JsonNode root = tree(json);
    for (JsonNode choice : root.path("choices")) {
      appendText(choice.path("text"), text);
      appendMessage(choice.path("message"), text);
    }
    return text.toString();
  }

  /** A whole Anthropic message: its text, thinking and tool_use blocks. */
  public static String ofAnthropicMessage(byte[] json) {
    StringBuilder text = new StringBuilder();
    for (JsonNode block : tree(json).path("content")) {
      appendText(block.path("text"), text);
      appendText(block.path("thinking"), text);
      appendText(block.path("name"), text);
      if (block.path("input").isObject() && !block.path("input").isEmpty()) {
        text.append(block.get("input").toString());
      }
    }
    return text.toString();
  }

  /** A whole Responses API response: its output messages' text and refusals, and its function calls. */
  public static String ofResponse(byte[] json) {
    StringBuilder text = new StringBuilder();
    for (JsonNode item : tree(json).path("output")) {
      for (JsonNode part : item.path("content")) {
        appendText(part.path("text"), text);
        appendText(part.path("refusal"), text);
      }
      appendText(item.path("name"), text);
      appendText(item.path("arguments"), text);
    }
    return text.toString();
  }

  static void ofOpenAiChunk(byte[] json, StringBuilder text) {
    for (JsonNode choice : tree(json).path("choices")) {
      appendText(choice.path("text"), text);
      appendMessage(choice.path("delta"), text);
    }
  }

  static void ofAnthropicEvent(byte[] json, StringBuilder text) {
    JsonNode event = tree(json);
    JsonNode delta = event.path("delta");
    appendText(delta.path("text"), text);
    appendText(delta.path("thinking"), text);
    appendText(delta.path("partial_json"), text);
    appendText(event.path("content_block").path("name"), text);
  }

  /** A Responses API event: the text or arguments of its {@code *.delta}. */
  static void ofResponsesEvent(byte[] json, StringBuilder text) {
    appendText(tree(json).path("delta"), text);
  }

  private static void appendMessage(JsonNode message, StringBuilder text) {
    appendText(message.path("content"), text);
    appendText(message.path("reasoning_content"), text);
    appendText(message.path("reasoning"), text);
    appendText(message.path("refusal"), text);
    for (JsonNode call : message.path("tool_calls")) {
      appendText(call.path("function").path("name"), text);
      appendText(call.path("function").path("arguments"), text);
    }
  }

  private static void appendText(JsonNode value, StringBuilder text) {
    if (value.isTextual()) {
      text.append(value.asText());
    }
  }

  private static JsonNode tree(byte[] json) {
    return Json.treeOrMissing(json);
  }
}
