package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyStreamTest extends UpstreamFixture {

  static HttpResponse<InputStream> stream(String body, String... headers) throws Exception {
    HttpRequest.Builder b = Http.builder(url("/v1/chat/completions"), headers)
        .header("Authorization", bearer(KEY)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return Http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void streamPassesEventsThroughWithSseHeadersAndDropsTheUsageChunkNobodyAskedFor() throws Exception {
    HttpResponse<InputStream> r = stream(chat(true, ""), "X-Request-Id", "req-stream-1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(r.headers().firstValue("cache-control")).contains("no-cache");
    assertThat(r.headers().firstValue("x-accel-buffering")).contains("no");
    SseEvents events = SseEvents.read(r.body());
    assertThat(events.failure()).isNull();
    assertThat(events.last()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (String data : events.data().subList(0, events.data().size() - 1)) {
      OpenApiSchemas.load().assertValid("CreateChatCompletionStreamResponse", data);
      JsonNode chunk = Http.JSON.readTree(data);
      assertThat(chunk.path("choices").size()).as("a usage-only chunk the client did not ask for").isPositive();
      text.append(chunk.at("/choices/0/delta/content").asText(""));
    }
    assertThat(text.toString()).isEqualTo("Hello fake");
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
    Map<String, Object> row = rows.await("req-stream-1", Duration.ofSeconds(10));
    assertThat(row).containsEntry("stream", true).containsEntry("status", 200)
        .containsEntry("prompt_tokens", 7).containsEntry("completion_tokens", 3);
    assertThat(row.get("ttfb_ms")).isNotNull();
  }

  @Test
  void streamKeepsTheUsageChunkWhenTheClientAsks() throws Exception {
    SseEvents events = SseEvents.read(stream(chat(true, ",\"stream_options\":{\"include_usage\":true}")).body());
    String usageChunk = events.data().get(events.data().size() - 2);
    OpenApiSchemas.load().assertValid("CreateChatCompletionStreamResponse", usageChunk);
    assertThat(Http.JSON.readTree(usageChunk).at("/usage/total_tokens").asInt()).isEqualTo(10);
  }

  @Test
  void eventsReachTheClientAsTheyArriveNotAtTheEnd() throws Exception {
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      payloads.add(chunkJson("part" + i));
    }
    payloads.add("[DONE]");
    upstream.enqueue(FakeResponse.sse(payloads, Duration.ofMillis(400)));
    SseEvents events = SseEvents.read(stream(chat(true, "")).body());
    assertThat(events.data()).hasSize(5);
    long first = events.arrivalMillis().get(0);
    long last = events.arrivalMillis().get(4);
    assertThat(last - first).as("spread of arrival times").isGreaterThan(1000);
  }

  @Test
  void aStreamDroppedByTheUpstreamEndsWithAnErrorEventNotDone() throws Exception {
    upstream.enqueue(FakeResponse.dropAfter(List.of(chunkJson("a"), chunkJson("b"))));
    SseEvents events = SseEvents.read(stream(chat(true, ""), "X-Request-Id", "req-dropped-1").body());
    assertThat(events.data()).hasSize(3);
    assertThat(events.last()).contains("\"error\"");
    OpenApiSchemas.load().assertValid("ErrorResponse", events.last());
    assertThat(rows.await("req-dropped-1", Duration.ofSeconds(10)).get("error")).isNotNull();
  }

  @Test
  void clientDisconnectCancelsTheUpstreamStream() throws Exception {
    upstream.enqueue(FakeResponse.endless(chunkJson("tick"), Duration.ofMillis(50)));
    HttpResponse<InputStream> r = stream(chat(true, ""));
    InputStream body = r.body();
    byte[] some = body.readNBytes(200);
    assertThat(new String(some)).contains("tick");
    body.close();
    assertThat(upstream.awaitClientDisconnect(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void aSlowUpstreamStreamGetsA504() throws Exception {
    upstream.enqueue(FakeResponse.json(200, "{}").withHeadersDelay(Duration.ofSeconds(4)));
    HttpResponse<String> r = Http.post(url("/v1/chat/completions"), chat(true, ""), "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(504);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
  }

  @Test
  void anUpstreamThatStallsMidStreamIsCutOffByTheReadTimeout() throws Exception {
    upstream.enqueue(FakeResponse.sse(List.of(chunkJson("a"), chunkJson("b")), Duration.ofSeconds(5)));
    long start = System.nanoTime();
    SseEvents events = SseEvents.read(stream(chat(true, "")).body());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(events.data()).hasSize(2);
    assertThat(events.last()).contains("upstream_timeout");
    assertThat(tookMs).isLessThan(4500);
  }

  static String chunkJson(String content) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
  }
}
