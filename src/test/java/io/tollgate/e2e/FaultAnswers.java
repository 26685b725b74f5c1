package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Checks that an answer a client got through a failing upstream is well-formed, whatever the failure. */
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

  private static JsonNode json(String text, String id) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(id + ": not JSON: " + text, e);
    }
  }
}
