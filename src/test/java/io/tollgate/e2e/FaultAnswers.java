package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import io.tollgate.upstream.SseReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that an answer a client got through a failing upstream is well-formed, whatever the failure: OpenAI's
 * shapes for /v1/chat/completions, Anthropic's for /v1/messages.
 */
final class FaultAnswers {
  private FaultAnswers() {
  }

  /** OpenAI's error envelope: all four keys, a message and a type. */
  static void assertErrorEnvelope(String body, String id) {
    JsonNode error = json(body, id).path("error");
    assertThat(error.isObject()).as(id + " error envelope: " + body).isTrue();
    assertThat(error.path("message").asText()).as(id + " message").isNotBlank();
    assertThat(error.path("type").asText()).as(id + " type").isNotBlank();
    assertThat(error.has("param") && error.has("code")).as(id + " param and code keys: " + body).isTrue();
  }

  static void assertCompletion(RawHttp.Answer a, String id) {
    assertThat(a.header("content-type")).as(id).startsWith("application/json");
    assertThat(json(a.body(), id).at("/choices/0/message/content").asText()).as(id).isNotEmpty();
  }

  /**
   * An event stream of JSON events: a whole one ends with [DONE]; one whose upstream broke ends with one error
   * event instead, and no [DONE].
   */
  static void assertStream(RawHttp.Answer a, boolean broken, String id) {
    assertThat(a.header("content-type")).as(id).startsWith("text/event-stream");
    List<String> data = new ArrayList<>();
    for (String line : a.body().split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    assertThat(data).as(id + " events").isNotEmpty();
    String last = data.get(data.size() - 1);
    for (String event : data.subList(0, data.size() - 1)) {
      assertThat(json(event, id).path("choices").isArray()).as(id + " chunk: " + event).isTrue();
    }
    if (broken) {
      assertErrorEnvelope(last, id);
    } else {
      assertThat(last).as(id + " last event").isEqualTo("[DONE]");
    }
  }

  /** Anthropic's error body, with the error type Anthropic's API gives for the status. */
  static void assertAnthropicError(String body, int status, String id) {
    assertAnthropicError(json(body, id), id);
    String expected = switch (status) {
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      default -> "api_error";
    };
    assertThat(json(body, id).at("/error/type").asText()).as(id + " error type: " + body).isEqualTo(expected);
  }

  static void assertMessage(RawHttp.Answer a, String id) {
    assertThat(a.header("content-type")).as(id).startsWith("application/json");
    JsonNode message = json(a.body(), id);
    assertThat(message.path("type").asText()).as(id + ": " + a.body()).isEqualTo("message");
    assertThat(message.at("/content/0/text").asText()).as(id + ": " + a.body()).isNotEmpty();
  }

  /**
   * Anthropic's named events, each with JSON data whose type is the event's name, from message_start on: a whole
   * stream ends with message_stop; one whose upstream broke ends with one {@code error} event instead.
   */
  static void assertAnthropicStream(RawHttp.Answer a, boolean broken, String id) {
    assertThat(a.header("content-type")).as(id).startsWith("text/event-stream");
    List<String> names = new ArrayList<>();
    List<JsonNode> data = new ArrayList<>();
    SseReader reader = new SseReader((name, bytes) -> {
      names.add(name);
      data.add(json(new String(bytes, StandardCharsets.UTF_8), id));
    });
    reader.feed(ByteBuffer.wrap(a.body().getBytes(StandardCharsets.UTF_8)));
    reader.finish();
    assertThat(names).as(id + " events: " + a.body()).isNotEmpty();
    assertThat(names.get(0)).as(id + " first event").isEqualTo("message_start");
    for (int i = 0; i < names.size(); i++) {
      assertThat(data.get(i).path("type").asText()).as(id + " event " + names.get(i)).isEqualTo(names.get(i));
    }
    String last = names.get(names.size() - 1);
    if (broken) {
      assertThat(last).as(id + " last event").isEqualTo("error");
      assertAnthropicError(data.get(data.size() - 1), id);
      assertThat(names).as(id + " events").doesNotContain("message_stop");
    } else {
      assertThat(last).as(id + " last event").isEqualTo("message_stop");
    }
  }

  private static void assertAnthropicError(JsonNode root, String id) {
    assertThat(root.path("type").asText()).as(id + " type: " + root).isEqualTo("error");
    assertThat(root.at("/error/type").asText()).as(id + " error type: " + root).isNotBlank();
    assertThat(root.at("/error/message").asText()).as(id + " message: " + root).isNotBlank();
  }

  private static JsonNode json(String text, String id) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(id + ": not JSON: " + text, e);
    }
  }
}
