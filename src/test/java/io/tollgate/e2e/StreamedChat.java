package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A streamed chat completion as a client reads it: a 200 event stream ending in [DONE], every chunk schema-valid. */
record StreamedChat(SseEvents events, String text) {

  static StreamedChat post(String url, String body, String... headers) {
    HttpRequest request = Http.builder(url, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<InputStream> response;
    try {
      response = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    SseEvents events = SseEvents.read(response.body());
    assertThat(events.failure()).isNull();
    assertThat(events.data()).hasSizeGreaterThan(1);
    assertThat(events.last()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (String data : events.data().subList(0, events.data().size() - 1)) {
      OpenApiSchemas.load().assertValid("CreateChatCompletionStreamResponse", data);
      JsonNode chunk = chunk(data);
      text.append(chunk.at("/choices/0/delta/content").asText(""));
    }
    return new StreamedChat(events, text.toString());
  }

  private static JsonNode chunk(String data) {
    try {
      return Http.JSON.readTree(data);
    } catch (IOException e) {
      throw new AssertionError("an event is not JSON: " + data, e);
    }
  }
}
