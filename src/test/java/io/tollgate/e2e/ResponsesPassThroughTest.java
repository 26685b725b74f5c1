package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStreamEvent;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.upstream.SseReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /v1/responses passed through to providers that serve the Responses API themselves (the {@code responses_api}
 * option), before a fake that speaks it natively (a whole response with a function call, and its typed events
 * numbered by sequence_number): the body goes to {@code /responses} with only the model swapped, the answer and
 * every event come back as the upstream wrote them, and usage, failover, errors and stored responses work as on the
 * translated path, which the same provider without the option still gets. The official openai-java SDK is among
 * the clients, and every answer is checked against OpenAI's schemas.
 */
class ResponsesPassThroughTest {
  private static final OpenApiSchemas SCHEMAS = OpenApiSchemas.load();
  private static final String KEY = "sk-tollgate-passthrough-test";
  private static final String ADMIN = "admin-key-for-passthrough-tests";
  private static final String ANSWER = FixtureFiles.text("responses", "answer.json").strip();
  private static final List<String> EVENTS = Arrays.stream(FixtureFiles.text("responses", "stream.sse")
      .split("\n\n")).map(String::strip).filter(e -> !e.isEmpty()).toList();
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate-passthrough", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: native, type: openai, base_url: "%1$s/v1", api_key: sk-upstream-native,
             options: {responses_api: true}}
          - {name: plain, type: openai, base_url: "%1$s/v1", api_key: sk-upstream-plain}
          - {name: az, type: azure, base_url: "%1$s", api_key: azure-upstream-key, options: {responses_api: true}}
        models:
          - {name: gpt-native, targets: [{provider: native, model: gpt-upstream-2026}]}
          - {name: gpt-translated, targets: [{provider: plain, model: gpt-upstream-2026}]}
          - {name: gpt-azure, targets: [{provider: az, model: gpt-az}]}
          - name: gpt-failover
            targets: [{provider: native, model: gpt-first, priority: 1},
                      {provider: plain, model: gpt-second, priority: 2}]
        clients:
          - {name: passthrough-tests, key: %2$s}
        """.formatted("http://127.0.0.1:" + upstream.port(), KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "RETRY_TIMES", "1", "READ_TIMEOUT", "5"));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stopAll() {
    server.close();
    upstream.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.reset();
  }

  private static OpenAIClient sdk() {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(KEY).maxRetries(0).build();
  }

  private static HttpResponse<String> post(String body, String requestId) {
    return Http.post(server.baseUrl() + "/v1/responses", body, "Authorization", bearer(KEY), "X-Request-Id",
        requestId);
  }

  private static ResponseCreateParams.Builder weather(String model) {
    FunctionTool tool = FunctionTool.builder().name("get_weather").description("The weather in a city")
        .strict(false).parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .build()).build();
    return ResponseCreateParams.builder().model(model).instructions("Be brief").input("Weather in Paris?")
        .addTool(tool).temperature(0.2);
  }

  /** A body with fields the gateway never reads, which must reach the upstream as sent. */
  private static String body(String model, boolean stream, String more) {
    return "{\"model\":\"" + model + "\",\"input\":\"Weather in Paris?\",\"instructions\":\"Be brief\","
        + "\"stream\":" + stream + ",\"include\":[\"reasoning.encrypted_content\"],\"truncation\":\"auto\","
        + "\"metadata\":{\"team\":\"a\"},\"prompt_cache_key\":\"k-1\"" + more + "}";
  }

  /** The whole events of a stream as written: name and the data's exact text. */
  private static List<String> rawEvents(String sse) {
    List<String> events = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> events.add("event: " + name + "\ndata: "
        + new String(data, StandardCharsets.UTF_8)));
    reader.feed(ByteBuffer.wrap(sse.getBytes(StandardCharsets.UTF_8)));
    reader.finish();
    return events;
  }

  private static void assertSentAsIs(RecordedRequest sent, String clientBody, String model) {
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/responses");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-upstream-native");
    ObjectNode expected = (ObjectNode) FixtureFiles.tree(clientBody);
    expected.put("model", model);
    assertThat(sent.json()).isEqualTo(expected);
  }

  @Test
  void aPlainAnswerPassesThroughWithOnlyTheModelSwapped() {
    String client = body("gpt-native", false, ",\"store\":false");
    upstream.enqueue(FakeResponse.json(200, ANSWER));
    HttpResponse<String> r = post(client, "req-pt-plain");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(ANSWER);
    SCHEMAS.assertValid("Response", r.body());
    assertSentAsIs(upstream.takeRequest(), client, "gpt-upstream-2026");
    assertThat(rows.await("req-pt-plain", Duration.ofSeconds(10))).containsEntry("provider", "native")
        .containsEntry("path", "/v1/responses").containsEntry("status", 200).containsEntry("stream", false)
        .containsEntry("prompt_tokens", 21).containsEntry("completion_tokens", 9);
  }

  @Test
  void streamedEventsReachTheClientUnchangedAndInOrder() {
    String client = body("gpt-native", true, ",\"store\":false");
    upstream.enqueue(FakeResponse.rawEvents(EVENTS, Duration.ofMillis(5)));
    HttpResponse<String> r = post(client, "req-pt-stream");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
    List<String> got = rawEvents(r.body());
    assertThat(got).containsExactlyElementsOf(EVENTS);
    for (String event : got) {
      String name = event.substring("event: ".length(), event.indexOf('\n'));
      String data = event.substring(event.indexOf("\ndata: ") + "\ndata: ".length());
      SCHEMAS.assertValid(ResponsesApiTest.EVENT_SCHEMAS.get(name), data);
      SCHEMAS.assertValid("ResponseStreamEvent", data);
    }
    assertSentAsIs(upstream.takeRequest(), client, "gpt-upstream-2026");
    assertThat(rows.await("req-pt-stream", Duration.ofSeconds(10))).containsEntry("provider", "native")
        .containsEntry("stream", true).containsEntry("prompt_tokens", 21).containsEntry("completion_tokens", 9);
  }

  @Test
  void theSdkGetsTheUpstreamsFunctionCallPlainAndStreamed() {
    upstream.enqueue(FakeResponse.json(200, ANSWER));
    Response r = sdk().responses().create(weather("gpt-native").store(false).build());
    assertThat(r.id()).isEqualTo("resp_upstream_plain");
    ResponseFunctionToolCall call = r.output().get(1).functionCall().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.at("/tools/0/name").asText()).isEqualTo("get_weather");
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);

    upstream.enqueue(FakeResponse.rawEvents(EVENTS, Duration.ZERO));
    try (StreamResponse<ResponseStreamEvent> stream = sdk().responses()
        .createStreaming(weather("gpt-native").store(false).build())) {
      List<ResponseStreamEvent> events = stream.stream().toList();
      assertThat(events).hasSize(EVENTS.size());
      assertThat(events.stream().map(e -> e.functionCallArgumentsDone()).flatMap(java.util.Optional::stream)
          .findFirst().orElseThrow().arguments()).isEqualTo("{\"city\":\"Paris\"}");
      Response done = events.get(events.size() - 1).completed().orElseThrow().response();
      assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(9);
    }
    assertThat(upstream.takeRequest().json().get("stream").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void withoutTheOptionTheSameProviderGetsChatCompletions(boolean stream) {
    HttpResponse<String> r = post(body("gpt-translated", stream, ""), "req-pt-off-" + stream);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-upstream-plain");
    if (!stream) {
      SCHEMAS.assertValid("Response", r.body());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aFailingPassThroughTargetHandsOverToATranslatedOne(boolean stream) {
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
    HttpResponse<String> r = post(body("gpt-failover", stream, ",\"store\":false"), "req-pt-failover-" + stream);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    RecordedRequest first = upstream.takeRequest();
    assertThat(first.path()).isEqualTo("/v1/responses");
    assertThat(first.json().get("model").asText()).isEqualTo("gpt-first");
    RecordedRequest second = upstream.takeRequest();
    assertThat(second.path()).isEqualTo("/v1/chat/completions");
    assertThat(second.json().get("model").asText()).isEqualTo("gpt-second");
    if (stream) {
      assertThat(rawEvents(r.body()).get(rawEvents(r.body()).size() - 1)).startsWith("event: response.completed");
    } else {
      SCHEMAS.assertValid("Response", r.body());
    }
    assertThat(rows.await("req-pt-failover-" + stream, Duration.ofSeconds(10))).containsEntry("provider", "plain");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anUpstream400ReachesTheClientInOpenAisShape(boolean stream) {
    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"Unknown parameter: 'prompt_cache_key'.\","
        + "\"type\":\"invalid_request_error\",\"param\":\"prompt_cache_key\",\"code\":\"unknown_parameter\"}}"));
    HttpResponse<String> r = post(body("gpt-native", stream, ""), "req-pt-400-" + stream);
    assertThat(r.statusCode()).isEqualTo(400);
    SCHEMAS.assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/message").asText()).isEqualTo("Unknown parameter: 'prompt_cache_key'.");
    assertThat(json(r).at("/error/param").asText()).isEqualTo("prompt_cache_key");
    assertThat(upstream.requestCount()).as("a 400 is not retried").isEqualTo(1);

    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"Bad tool\",\"type\":\"invalid_request_error\","
        + "\"param\":null,\"code\":null}}"));
    assertThatThrownBy(() -> sdk().responses().create(weather("gpt-native").build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("Bad tool");
  }

  @Test
  void aStreamCutMidwayEndsWithAnErrorEventAndIsBilledForWhatCame() {
    String id = "resp_pt_cut_" + UUID.randomUUID().toString().replace("-", "");
    List<String> sent = EVENTS.stream().map(e -> e.replace("resp_upstream_stream", id)).toList();
    upstream.enqueue(FakeResponse.rawEvents(sent, Duration.ZERO).droppedHalfway());
    HttpResponse<String> r = post(body("gpt-native", true, ""), "req-pt-cut");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> got = rawEvents(r.body());
    int half = EVENTS.size() / 2;
    assertThat(got.subList(0, half)).containsExactlyElementsOf(sent.subList(0, half));
    assertThat(got).hasSize(half + 1);
    JsonNode error = FixtureFiles.tree(got.get(half).substring(got.get(half).indexOf("\ndata: ") + 7));
    SCHEMAS.assertValid("ResponseErrorEvent", error.toString());
    assertThat(error.get("sequence_number").asInt()).as("numbered after the upstream's last").isEqualTo(half);
    assertThat(rows.await("req-pt-cut", Duration.ofSeconds(10))).containsEntry("usage_source", "counted")
        .containsEntry("completion_tokens", 4); // the two text deltas that came: "Checking the weather."
    assertThat(Http.get(server.baseUrl() + "/v1/responses/" + id, "Authorization", bearer(KEY)).statusCode())
        .as("a stream that failed keeps nothing").isEqualTo(404);
  }

  @Test
  void aClientLeavingMidStreamCancelsTheUpstream() throws Exception {
    // Events without an event: line, as some compatible servers send them: named after their type.
    upstream.enqueue(FakeResponse.endless("{\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
        + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"x\",\"logprobs\":[]}",
        Duration.ofMillis(20)));
    String body = body("gpt-native", true, ",\"store\":false");
    URI base = URI.create(server.baseUrl());
    try (Socket client = new Socket(base.getHost(), base.getPort())) {
      client.setSoTimeout(5_000);
      client.getOutputStream().write(("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          + "application/json\r\nAuthorization: Bearer " + KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n"
          + body).getBytes(StandardCharsets.US_ASCII));
      StringBuilder got = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (!got.toString().contains("event: response.output_text.delta\ndata: ") && got.length() < 65_536) {
        int n = client.getInputStream().read(buffer);
        assertThat(n).as("the stream goes on until the client leaves").isPositive();
        got.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      assertThat(got.toString()).contains("event: response.output_text.delta\ndata: ");
    }
    assertThat(upstream.awaitClientDisconnect(Duration.ofSeconds(5))).as("the gateway hung up on the upstream")
        .isTrue();
  }

  @Test
  void aPlainAnswerWithoutUsageIsCounted() {
    upstream.enqueue(FakeResponse.json(200, ANSWER.replaceAll(",\"usage\":\\{.*\\}\\}$", "}")));
    HttpResponse<String> r = post(body("gpt-native", false, ",\"store\":false"), "req-pt-no-usage");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).has("usage")).isFalse();
    Map<String, Object> row = rows.await("req-pt-no-usage", Duration.ofSeconds(10));
    assertThat(row).containsEntry("usage_source", "counted");
    assertThat((Integer) row.get("completion_tokens")).as("text, call name and arguments").isBetween(8, 20);
    assertThat((Integer) row.get("prompt_tokens")).isPositive();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anIdenticalDeterministicRequestIsAnsweredFromTheCache(boolean stream) {
    upstream.enqueue(stream ? FakeResponse.rawEvents(EVENTS, Duration.ZERO) : FakeResponse.json(200, ANSWER));
    String client = body("gpt-native", stream, ",\"store\":false,\"temperature\":0,\"user\":\"cache-" + stream
        + "\"");
    HttpResponse<String> first = post(client, "req-pt-cache-1-" + stream);
    HttpResponse<String> again = post(client, "req-pt-cache-2-" + stream);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("x-tollgate-cache")).contains("hit");
    if (stream) {
      assertThat(rawEvents(again.body())).containsExactlyElementsOf(EVENTS);
    } else {
      assertThat(again.body()).isEqualTo(ANSWER);
    }
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void storedResponsesAreKeptAndContinuedWhateverTargetServedThem() {
    String id = "resp_pt_" + UUID.randomUUID().toString().replace("-", "");
    upstream.enqueue(FakeResponse.json(200, ANSWER.replace("resp_upstream_plain", id)));
    Response first = sdk().responses().create(weather("gpt-native").build());
    assertThat(first.id()).isEqualTo(id);
    upstream.takeRequest();
    HttpResponse<String> kept = Http.get(server.baseUrl() + "/v1/responses/" + id, "Authorization", bearer(KEY));
    assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
    SCHEMAS.assertValid("Response", kept.body());
    assertThat(json(kept)).isEqualTo(FixtureFiles.tree(ANSWER.replace("resp_upstream_plain", id)));

    String streamedId = id + "_2";
    upstream.enqueue(FakeResponse.rawEvents(EVENTS.stream().map(e -> e.replace("resp_upstream_stream", streamedId))
        .toList(), Duration.ZERO));
    HttpResponse<String> second = post("{\"model\":\"gpt-native\",\"stream\":true,\"previous_response_id\":\"" + id
        + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"call_up_1\",\"output\":\"sunny\"}]}",
        "req-pt-continued");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.has("previous_response_id")).as("the upstream may never have seen that id").isFalse();
    List<String> items = new ArrayList<>();
    sent.get("input").forEach(i -> items.add(i.path("type").asText("message") + ":" + i.path("id").asText(
        i.path("call_id").asText())));
    assertThat(items).containsExactly("message:", "message:msg_up_1", "function_call:fc_up_1",
        "function_call_output:call_up_1");
    assertThat(sent.at("/input/0/content").asText()).isEqualTo("Weather in Paris?");
    HttpResponse<String> streamedKept = Http.get(server.baseUrl() + "/v1/responses/" + streamedId,
        "Authorization", bearer(KEY));
    assertThat(streamedKept.statusCode()).as(streamedKept.body()).isEqualTo(200);
    assertThat(json(streamedKept).get("status").asText()).isEqualTo("completed");
  }

  @Test
  void anAzureProviderTakesItOnItsV1Api() {
    upstream.enqueue(FakeResponse.json(200, ANSWER));
    HttpResponse<String> r = post(body("gpt-azure", false, ",\"store\":false"), "req-pt-azure");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/openai/v1/responses");
    assertThat(sent.header("api-key")).isEqualTo("azure-upstream-key");
    assertThat(sent.json().get("model").asText()).isEqualTo("gpt-az");
  }

  @Test
  void theAdminApiTakesTheOptionAndRefusesABadValueByName() {
    String provider = "{\"name\":\"%s\",\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\","
        + "\"options\":{\"responses_api\":%s}}";
    HttpResponse<String> bad = Http.post(server.baseUrl() + "/admin/providers", provider.formatted("pt-bad",
        "\"maybe\""), "Authorization", bearer(ADMIN));
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(json(bad).at("/error/message").asText()).contains("options.responses_api must be true or false");
    HttpResponse<String> good = Http.post(server.baseUrl() + "/admin/providers", provider.formatted("pt-good",
        "true"), "Authorization", bearer(ADMIN));
    assertThat(good.statusCode()).as(good.body()).isEqualTo(201);
    assertThat(json(good).at("/options/responses_api").asText()).isEqualTo("true");
  }
}
