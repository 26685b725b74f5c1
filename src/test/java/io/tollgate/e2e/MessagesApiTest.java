package io.tollgate.e2e;

import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.Http;
import io.tollgate.upstream.SseReader;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /v1/messages over plain HTTP: a coding agent's request against every provider type, the exact bytes of the
 * Anthropic pass-through, errors in Anthropic's shape, and the request log.
 */
class MessagesApiTest extends MessagesFixture {

  /** One server-sent event as the client got it. */
  record Event(String name, JsonNode data) {
  }

  static List<Event> events(String sse) {
    List<Event> events = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> events.add(new Event(name,
        FixtureFiles.tree(new String(data, StandardCharsets.UTF_8)))));
    reader.feed(ByteBuffer.wrap(sse.getBytes(StandardCharsets.UTF_8)));
    reader.finish();
    return events;
  }

  private static String codingAgent(String model) {
    ObjectNode body = (ObjectNode) FixtureFiles.json("inbound", "claude-code-request.json");
    return body.put("model", model).toString();
  }

  private static String hello(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  @Test
  void aCodingAgentsRequestToAnOpenAiUpstream() {
    HttpResponse<String> r = post("/v1/messages", codingAgent("gpt-via-messages"), "X-Request-Id", "req-msg-cc-oai");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith(
        "text/event-stream"));
    assertThat(r.headers().firstValue("x-accel-buffering")).as("nginx must not buffer it").contains("no");
    assertThat(r.body()).startsWith("event: message_start\ndata: {");
    List<Event> events = events(r.body());
    assertThat(events.get(0).name()).isEqualTo("message_start");
    assertThat(events.get(events.size() - 1).name()).isEqualTo("message_stop");
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.name().equals("content_block_delta"))
        .forEach(e -> text.append(e.data().at("/delta/text").asText()));
    assertThat(text.toString()).isEqualTo("Hello fake");

    JsonNode expected = ((ObjectNode) FixtureFiles.json("inbound", "claude-code-request.openai.json"))
        .put("model", "gpt-4o-upstream");
    assertThat(upstream.takeRequest().json()).isEqualTo(expected);
    Map<String, Object> row = rows.await("req-msg-cc-oai", Duration.ofSeconds(10));
    assertThat(row).containsEntry("model", "gpt-via-messages").containsEntry("provider", "oai")
        .containsEntry("path", "/v1/messages").containsEntry("status", 200).containsEntry("stream", true);
    assertThat((Integer) row.get("prompt_tokens")).isPositive();
    assertThat((Integer) row.get("completion_tokens")).isPositive();
  }

  @Test
  void aCodingAgentsRequestReachesAnAnthropicUpstreamUntouchedAndItsEventsComeBackByteForByte() {
    upstream.enqueue(FakeResponse.rawEvents(anthropicEvents("text.sse"), Duration.ZERO));
    HttpResponse<String> r = post("/v1/messages", codingAgent("claude-native"), "X-Request-Id", "req-msg-cc-ant",
        "anthropic-version", "2023-06-01",
        "anthropic-beta", "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body().strip()).isEqualTo(FixtureFiles.text("anthropic/streams", "text.sse").strip());

    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    ObjectNode expected = ((ObjectNode) FixtureFiles.json("inbound", "claude-code-request.json"))
        .put("model", "claude-upstream");
    assertThat(sent.json()).isEqualTo(expected);
    assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.header("anthropic-beta"))
        .isEqualTo("interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
    assertThat(rows.await("req-msg-cc-ant", Duration.ofSeconds(10))).containsEntry("provider", "claude")
        .containsEntry("upstream_model", "claude-upstream")
        .containsEntry("prompt_tokens", 14).containsEntry("completion_tokens", 6);
  }

  @Test
  void whenTheUpstreamModelHasTheSameNameTheClientsOwnBytesGoUp() {
    upstream.enqueue(FakeResponse.json(200, FixtureFiles.text("anthropic/responses", "text.anthropic.json")));
    String body = "{ \"model\" : \"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\"}], \"x_unknown\": 1.50 }";
    HttpResponse<String> r = post("/v1/messages", body, "X-Request-Id", "req-msg-plain-ant");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(FixtureFiles.text("anthropic/responses", "text.anthropic.json"));
    assertThat(upstream.takeRequest().body()).isEqualTo(body);
    assertThat(rows.await("req-msg-plain-ant", Duration.ofSeconds(10)))
        .containsEntry("prompt_tokens", 12 + 2048).containsEntry("completion_tokens", 9);
  }

  @Test
  void aCodingAgentsRequestToAGeminiUpstream() {
    upstream.enqueue(FakeResponse.rawEvents(FixtureFiles.text("gemini/streams", "tool-call.sse").lines()
        .filter(l -> !l.isBlank()).toList(), Duration.ZERO));
    HttpResponse<String> r = post("/v1/messages", codingAgent("gemini-via-messages"));
    assertThat(r.statusCode()).isEqualTo(200);
    List<Event> events = events(r.body());
    List<Event> uses = events.stream().filter(e -> e.name().equals("content_block_start")
        && e.data().at("/content_block/type").asText().equals("tool_use")).toList();
    assertThat(uses).extracting(e -> e.data().at("/content_block/name").asText())
        .containsExactly("get_weather", "get_time");
    assertThat(events.get(events.size() - 2).data().at("/delta/stop_reason").asText()).isEqualTo("tool_use");

    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(sent.header("x-goog-api-key")).isEqualTo(GEMINI_KEY);
    assertThat(sent.json().at("/tools/0/functionDeclarations")).hasSize(24);
    assertThat(sent.body()).doesNotContain("cache_control", "signature\"", "ephemeral");
    assertThat(sent.json().at("/systemInstruction/parts/0/text").asText()).startsWith("You are Claude Code");
  }

  @Test
  void aPlainMessageFromAGeminiUpstream() {
    upstream.enqueue(FakeResponse.json(200, FixtureFiles.text("gemini/responses", "chat-text.gemini.json")));
    HttpResponse<String> r = post("/v1/messages", hello("gemini-via-messages", false));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode m = json(r);
    assertThat(m.at("/content/0/type").asText()).isEqualTo("thinking");
    assertThat(m.at("/content/1/text").asText()).isEqualTo("Blue is calm.");
    assertThat(m.get("model").asText()).as("the modelVersion Gemini reports").isEqualTo("gemini-2.5-flash");
    assertThat(m.at("/usage/output_tokens").asInt()).isEqualTo(34);
  }

  @Test
  void theOtherPathsAndABearerKeyWorkToo() {
    for (String path : List.of("/messages", "/api/v1/messages")) {
      HttpResponse<String> r = Http.post(server.baseUrl() + path, hello("echo-test", false),
          "Authorization", "Bearer " + KEY);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(json(r).get("type").asText()).isEqualTo("message");
    }
    HttpResponse<String> count = Http.post(server.baseUrl() + "/api/v1/messages/count_tokens",
        hello("echo-test", false), "x-api-key", KEY);
    assertThat(json(count).get("input_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void anUnknownModelIsAnAnthropicNotFoundError() {
    HttpResponse<String> r = post("/v1/messages", hello("no-such-model", false));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("type").asText()).isEqualTo("error");
    assertThat(json(r).at("/error/type").asText()).isEqualTo("not_found_error");
    assertThat(json(r).at("/error/message").asText()).contains("no-such-model");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void aBadBodyIsAnAnthropicInvalidRequestError() {
    for (String body : List.of("not json", "{\"model\":\"gpt-via-messages\",\"max_tokens\":5}",
        "{\"model\":\"gpt-via-messages\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "{\"model\":\"gpt-via-messages\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}")) {
      HttpResponse<String> r = post("/v1/messages", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void anUpstream429IsAnAnthropicRateLimitErrorWithRetryAfter() {
    for (boolean stream : new boolean[] {false, true}) {
      upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"Rate limit reached for requests\","
          + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}").withHeader("retry-after", "7"));
      HttpResponse<String> r = post("/v1/messages", hello("gpt-via-messages", stream));
      assertThat(r.statusCode()).as("stream " + stream).isEqualTo(429);
      assertThat(r.headers().firstValue("retry-after")).contains("7");
      assertThat(json(r).at("/error/type").asText()).isEqualTo("rate_limit_error");
      assertThat(json(r).at("/error/message").asText()).isEqualTo("Rate limit reached for requests");
    }
    upstream.enqueue(FakeResponse.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
        + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}"));
    HttpResponse<String> r = post("/v1/messages", hello("claude-native", true));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(json(r).at("/error/message").asText()).startsWith("Number of request tokens");
  }

  @Test
  void anErrorInsideAStreamEndsItWithAnErrorEvent() {
    List<String> chunks = new ArrayList<>(openAiChunks("text.chunks.jsonl").subList(0, 2));
    chunks.add("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
    upstream.enqueue(FakeResponse.sse(chunks, Duration.ZERO));
    List<Event> events = events(post("/v1/messages", hello("gpt-via-messages", true)).body());
    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.data().at("/error/type").asText()).isEqualTo("api_error");
    assertThat(last.data().at("/error/message").asText()).isEqualTo("The server had an error");
    assertThat(events).extracting(Event::name).doesNotContain("message_stop");

    upstream.enqueue(FakeResponse.rawEvents(anthropicEvents("error-overloaded.sse"), Duration.ZERO));
    List<Event> passed = events(post("/v1/messages", hello("claude-native", true)).body());
    assertThat(passed.get(passed.size() - 1).data().at("/error/type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void anUpstream5xxBeforeTheStreamIsAnErrorAnswerNotAnEmptyStream() {
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    HttpResponse<String> r = post("/v1/messages", hello("gpt-via-messages", true));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).at("/error/type").asText()).isEqualTo("api_error");
  }

  @Test
  void aClientThatLeavesCancelsTheUpstreamStream() throws Exception {
    String tick = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick\"}}]}";
    for (String model : List.of("gpt-via-messages", "claude-native")) {
      upstream.reset();
      upstream.enqueue(FakeResponse.endless(tick, Duration.ofMillis(50)));
      HttpResponse<InputStream> r = Http.client().send(Http.builder(server.baseUrl() + "/v1/messages",
              "x-api-key", KEY, "Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(hello(model, true))).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = r.body()) {
        assertThat(new String(body.readNBytes(900), StandardCharsets.UTF_8)).as(model).contains("tick");
      }
      assertThat(upstream.awaitClientDisconnect(Duration.ofSeconds(10))).as(model).isTrue();
    }
  }

  @Test
  void otherMethodsAndMissingKeysAreRefused() {
    HttpResponse<String> get = Http.get(server.baseUrl() + "/v1/messages", "x-api-key", KEY);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(json(get).at("/error/type").asText()).isEqualTo("invalid_request_error");
    HttpResponse<String> anonymous = Http.post(server.baseUrl() + "/v1/messages", hello("echo-test", false));
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void aModelsCapabilitiesHoldOnTheMessagesPathToo() {
    String withTool = "{\"model\":\"gpt-limited\",\"max_tokens\":50,\"tools\":[{\"name\":\"f\","
        + "\"input_schema\":{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpResponse<String> refused = post("/v1/messages", withTool);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json(refused).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(upstream.requestCount()).isZero();

    HttpResponse<String> streamed = post("/v1/messages", hello("gpt-limited", true));
    assertThat(streamed.statusCode()).isEqualTo(200);
    List<Event> events = events(streamed.body());
    assertThat(events.get(events.size() - 1).name()).isEqualTo("message_stop");
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(20);
    assertThat(sent.path("stream").asBoolean(false)).isFalse();
  }
}
