package io.tollgate.e2e;

import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import io.tollgate.e2e.MessagesApiTest.Event;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.OpenApiSchemas;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /v1/responses against each provider type (OpenAI, Anthropic and Gemini upstreams on one fake): the official
 * openai-java SDK as the client, plain, streamed and with a function tool; answers and every stream event checked
 * against OpenAI's schemas; usage, the request-log row and cost; bad requests refused before anything goes up.
 */
class ResponsesApiTest extends MessagesFixture {
  private static final OpenApiSchemas SCHEMAS = OpenApiSchemas.load();
  private static final Map<String, String> PROVIDER = Map.of("gpt-via-messages", "oai",
      "claude-sonnet-4-5", "claude", "gemini-via-messages", "google", "gpt-via-azure", "azr");

  /** Each event against its own schema (whose messages say what is wrong), then against the union. */
  static final Map<String, String> EVENT_SCHEMAS = Map.ofEntries(
      Map.entry("response.created", "ResponseCreatedEvent"),
      Map.entry("response.in_progress", "ResponseInProgressEvent"),
      Map.entry("response.output_item.added", "ResponseOutputItemAddedEvent"),
      Map.entry("response.content_part.added", "ResponseContentPartAddedEvent"),
      Map.entry("response.output_text.delta", "ResponseTextDeltaEvent"),
      Map.entry("response.output_text.done", "ResponseTextDoneEvent"),
      Map.entry("response.reasoning_text.delta", "ResponseReasoningTextDeltaEvent"),
      Map.entry("response.reasoning_text.done", "ResponseReasoningTextDoneEvent"),
      Map.entry("response.content_part.done", "ResponseContentPartDoneEvent"),
      Map.entry("response.function_call_arguments.delta", "ResponseFunctionCallArgumentsDeltaEvent"),
      Map.entry("response.function_call_arguments.done", "ResponseFunctionCallArgumentsDoneEvent"),
      Map.entry("response.output_item.done", "ResponseOutputItemDoneEvent"),
      Map.entry("response.completed", "ResponseCompletedEvent"),
      Map.entry("response.incomplete", "ResponseIncompleteEvent"),
      Map.entry("response.failed", "ResponseFailedEvent"),
      Map.entry("error", "ResponseErrorEvent"));

  private static void assertEvent(Event e) {
    assertThat(EVENT_SCHEMAS).containsKey(e.name());
    SCHEMAS.assertValid(EVENT_SCHEMAS.get(e.name()), e.data().toString());
    SCHEMAS.assertValid("ResponseStreamEvent", e.data().toString());
  }

  private static OpenAIClient client() {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(KEY).maxRetries(0).build();
  }

  private static ResponseCreateParams.Builder hello(String model) {
    return ResponseCreateParams.builder().model(model).instructions("Be brief").input("Say hello");
  }

  private static FunctionTool weatherTool() {
    return FunctionTool.builder().name("get_weather").description("The weather in a city").strict(false)
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .build()).build();
  }

  private static String text(Response r) {
    return r.output().stream().flatMap(i -> i.message().stream()).flatMap(m -> m.content().stream())
        .flatMap(c -> c.outputText().stream()).map(t -> t.text()).collect(Collectors.joining());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-via-messages", "claude-sonnet-4-5", "gemini-via-messages", "gpt-via-azure"})
  void theSdkGetsAResponseFromEveryProviderType(String model) {
    Response r = client().responses().create(hello(model).maxOutputTokens(50).build());
    assertThat(r.id()).startsWith("resp_");
    assertThat(text(r)).isIn("Hello from fake", "Hello fake");
    assertThat(r.status().orElseThrow().asString()).isEqualTo("completed");
    assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(7);
    assertThat(r.usage().orElseThrow().outputTokens()).isEqualTo(3);
    assertThat(r.usage().orElseThrow().totalTokens()).isEqualTo(10);
    RecordedRequest request = upstream.takeRequest();
    if (model.equals("gpt-via-azure")) {
      assertThat(request.path()).startsWith("/openai/deployments/gpt-4o-deploy/chat/completions?api-version=");
    }
    JsonNode sent = request.json();
    String instructions = switch (model) {
      case "gpt-via-messages", "gpt-via-azure" -> sent.at("/messages/0/content").asText();
      case "claude-sonnet-4-5" -> sent.at("/system").isTextual() ? sent.at("/system").asText()
          : sent.at("/system/0/text").asText();
      default -> sent.at("/systemInstruction/parts/0/text").asText();
    };
    assertThat(instructions).as("instructions reach %s as its system prompt", model).isEqualTo("Be brief");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-via-messages", "claude-sonnet-4-5", "gemini-via-messages", "gpt-via-azure"})
  void aPlainResponseMatchesOpenAisSchemaAndIsLoggedWithItsCost(String model) {
    String id = "req-resp-plain-" + model;
    HttpResponse<String> r = post("/v1/responses", "{\"model\":\"" + model + "\",\"input\":\"Say hello\","
        + "\"metadata\":{\"team\":\"a\"},\"store\":true}", "X-Request-Id", id);
    assertThat(r.statusCode()).isEqualTo(200);
    SCHEMAS.assertValid("Response", r.body());
    assertThat(json(r).at("/metadata/team").asText()).isEqualTo("a");
    Map<String, Object> row = rows.await(id, Duration.ofSeconds(10));
    assertThat(row).containsEntry("model", model).containsEntry("provider", PROVIDER.get(model))
        .containsEntry("path", "/v1/responses").containsEntry("status", 200).containsEntry("stream", false)
        .containsEntry("prompt_tokens", 7).containsEntry("completion_tokens", 3);
    if (model.equals("claude-sonnet-4-5")) {
      // claude-sonnet-4*: 3.00 per million input tokens, 15.00 output
      assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo("0.000066");
      assertThat(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
          .isEqualByComparingTo("0.000066");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-via-messages", "claude-sonnet-4-5", "gemini-via-messages", "gpt-via-azure"})
  void theSdkStreamsTypedEventsFromEveryProviderType(String model) {
    try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(hello(model).build())) {
      List<ResponseStreamEvent> events = stream.stream().toList();
      assertThat(events.get(0).created()).isPresent();
      assertThat(events.get(1).inProgress()).isPresent();
      String text = events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
          .collect(Collectors.joining());
      assertThat(text).isEqualTo("Hello fake");
      Response done = events.get(events.size() - 1).completed().orElseThrow().response();
      assertThat(text(done)).isEqualTo("Hello fake");
      assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(7);
      assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(3);
      assertThat(events.stream().map(e -> e.completed().isPresent() ? 1 : 0).reduce(0, Integer::sum)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-via-messages", "claude-sonnet-4-5", "gemini-via-messages", "gpt-via-azure"})
  void everyStreamEventMatchesOpenAisSchemaInOrder(String model) {
    String id = "req-resp-stream-" + model;
    HttpResponse<String> r = post("/v1/responses", "{\"model\":\"" + model + "\",\"input\":\"Say hello\","
        + "\"stream\":true}", "X-Request-Id", id);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("event: response.created\ndata: {").doesNotContain("[DONE]");
    List<Event> events = MessagesApiTest.events(r.body());
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      assertThat(e.data().get("type").asText()).as("event %d", i).isEqualTo(e.name());
      assertThat(e.data().get("sequence_number").asInt()).isEqualTo(i);
      assertEvent(e);
    }
    assertThat(events).extracting(Event::name).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    SCHEMAS.assertValid("Response", events.get(events.size() - 1).data().get("response").toString());
    assertThat(rows.await(id, Duration.ofSeconds(10))).containsEntry("stream", true)
        .containsEntry("provider", PROVIDER.get(model)).containsEntry("prompt_tokens", 7)
        .containsEntry("completion_tokens", 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-via-messages", "claude-sonnet-4-5", "gemini-via-messages", "gpt-via-azure"})
  void aFunctionToolIsCalledThroughEveryProviderType(String model) {
    upstream.enqueue(FakeResponse.json(200, switch (model) {
      case "gpt-via-messages", "gpt-via-azure" -> FixtureFiles.text("inbound/responses", "tool-calls.openai.json");
      case "claude-sonnet-4-5" -> FixtureFiles.text("anthropic/responses", "tool-use.anthropic.json");
      default -> FixtureFiles.text("gemini/responses", "chat-tool-call.gemini.json");
    }));
    Response r = client().responses().create(ResponseCreateParams.builder().model(model)
        .input("Weather in Paris?").addTool(weatherTool()).build());
    List<ResponseFunctionToolCall> calls = r.output().stream().flatMap(i -> i.functionCall().stream()).toList();
    assertThat(calls).isNotEmpty();
    assertThat(calls.get(0).name()).isEqualTo("get_weather");
    assertThat(calls.get(0).callId()).isNotBlank();
    assertThat(calls.get(0).arguments()).contains("Paris");
    JsonNode sent = upstream.takeRequest().json();
    String tool = switch (model) {
      case "gpt-via-messages", "gpt-via-azure" -> sent.at("/tools/0/function/name").asText();
      case "claude-sonnet-4-5" -> sent.at("/tools/0/name").asText();
      default -> sent.at("/tools/0/functionDeclarations/0/name").asText();
    };
    assertThat(tool).isEqualTo("get_weather");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt-via-messages", "claude-sonnet-4-5", "gemini-via-messages", "gpt-via-azure"})
  void aStreamedFunctionCallComesAsArgumentDeltas(String model) {
    upstream.enqueue(switch (model) {
      case "gpt-via-messages", "gpt-via-azure" -> FakeResponse.sse(openAiChunks("parallel-tool-calls.chunks.jsonl"),
          Duration.ZERO);
      case "claude-sonnet-4-5" -> FakeResponse.rawEvents(anthropicEvents("tool-call.sse"), Duration.ZERO);
      default -> FakeResponse.rawEvents(FixtureFiles.text("gemini/streams", "tool-call.sse").lines()
          .filter(l -> !l.isBlank()).toList(), Duration.ZERO);
    });
    HttpResponse<String> raw = post("/v1/responses", "{\"model\":\"" + model + "\",\"input\":\"Weather?\","
        + "\"stream\":true,\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":"
        + "{\"type\":\"object\"}},{\"type\":\"function\",\"name\":\"get_time\",\"parameters\":"
        + "{\"type\":\"object\"}}]}");
    List<Event> events = MessagesApiTest.events(raw.body());
    events.forEach(e -> assertEvent(e));
    List<Event> argsDone = events.stream().filter(e -> e.name().equals("response.function_call_arguments.done"))
        .toList();
    assertThat(argsDone).hasSizeGreaterThanOrEqualTo(1);
    JsonNode last = events.get(events.size() - 1).data();
    assertThat(last.get("type").asText()).isEqualTo("response.completed");
    List<JsonNode> calls = new java.util.ArrayList<>();
    last.at("/response/output").forEach(item -> {
      if (item.get("type").asText().equals("function_call")) {
        calls.add(item);
      }
    });
    assertThat(calls).hasSize(argsDone.size());
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      String deltas = events.stream().filter(e -> e.name().equals("response.function_call_arguments.delta")
          && e.data().get("item_id").asText().equals(call.get("id").asText()))
          .map(e -> e.data().get("delta").asText()).collect(Collectors.joining());
      assertThat(call.get("arguments").asText()).as("the deltas add up to the arguments").isEqualTo(deltas)
          .isEqualTo(argsDone.get(i).data().get("arguments").asText());
      assertThat(call.get("call_id").asText()).isNotBlank();
      assertThat(call.get("status").asText()).isEqualTo("completed");
      assertThat(FixtureFiles.tree(call.get("arguments").asText()).isObject()).isTrue();
    }
    assertThat(calls.get(0).get("name").asText()).isEqualTo("get_weather");
  }

  @Test
  void theEchoProviderAnswersTheSdkPlainAndStreamed() {
    Response r = client().responses().create(ResponseCreateParams.builder().model("echo-test")
        .input("Echo this back").build());
    assertThat(text(r)).isEqualTo("Echo this back");
    assertThat(r.status().orElseThrow().asString()).isEqualTo("completed");
    assertThat(r.usage().orElseThrow().outputTokens()).isEqualTo(3);
    try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(
        ResponseCreateParams.builder().model("echo-test").input("Echo this too").build())) {
      List<ResponseStreamEvent> events = stream.stream().toList();
      assertThat(events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
          .collect(Collectors.joining())).isEqualTo("Echo this too");
      Response done = events.get(events.size() - 1).completed().orElseThrow().response();
      assertThat(text(done)).isEqualTo("Echo this too");
    }
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void itemsBecomeTheChatRequestTheyMean() {
    String body = """
        {"model":"gpt-via-messages","instructions":"Be brief","max_output_tokens":40,"temperature":0.2,
         "top_p":0.9,"user":"u-1","reasoning":{"effort":"low"},"parallel_tool_calls":false,
         "tool_choice":{"type":"function","name":"get_weather"},
         "text":{"format":{"type":"json_schema","name":"weather","schema":{"type":"object"},"strict":true}},
         "tools":[{"type":"function","name":"get_weather","description":"d","parameters":{"type":"object"},
                   "strict":true}],
         "input":[
           {"role":"developer","content":"Use celsius"},
           {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather here?"},
             {"type":"input_image","image_url":"https://example.com/a.png","detail":"low"}]},
           {"type":"reasoning","id":"rs_1","summary":[]},
           {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
           {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
           {"type":"function_call","call_id":"call_2","name":"get_weather","arguments":"{}"},
           {"type":"function_call_output","call_id":"call_1","output":"18C"},
           {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"20C"}]}
         ]}""";
    HttpResponse<String> r = post("/v1/responses", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode expected = FixtureFiles.tree("""
        {"model":"gpt-4o-upstream","messages":[
          {"role":"system","content":"Be brief"},
          {"role":"system","content":"Use celsius"},
          {"role":"user","content":[{"type":"text","text":"Weather here?"},
            {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}}]},
          {"role":"assistant","content":"Checking.","tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"18C"},
          {"role":"tool","tool_call_id":"call_2","content":"20C"}],
         "temperature":0.2,"top_p":0.9,"max_tokens":40,"user":"u-1","reasoning_effort":"low",
         "response_format":{"type":"json_schema","json_schema":{"name":"weather","schema":{"type":"object"},
           "strict":true}},
         "tools":[{"type":"function","function":{"name":"get_weather","description":"d",
           "parameters":{"type":"object"},"strict":true}}],
         "tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false}""");
    assertThat(upstream.takeRequest().json()).isEqualTo(expected);
    SCHEMAS.assertValid("Response", r.body());
    assertThat(json(r).at("/tools/0/name").asText()).isEqualTo("get_weather");
    assertThat(json(r).at("/text/format/type").asText()).isEqualTo("json_schema");
  }

  @Test
  void reasoningContentBecomesAReasoningItemTheSdkReads() {
    upstream.enqueue(FakeResponse.json(200, """
        {"id":"c","object":"chat.completion","created":1,"model":"deepseek-reasoner","choices":[{"index":0,
         "message":{"role":"assistant","content":"42","reasoning_content":"Six times seven."},
         "finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}"""));
    HttpResponse<String> raw = post("/v1/responses", "{\"model\":\"gpt-via-messages\",\"input\":\"6x7?\"}");
    SCHEMAS.assertValid("Response", raw.body());
    Response r = client().responses().retrieve(json(raw).path("id").asText());
    var reasoning = r.output().get(0).reasoning().orElseThrow();
    assertThat(reasoning.id()).startsWith("rs_");
    assertThat(reasoning.content().orElseThrow().get(0).text()).isEqualTo("Six times seven.");
    assertThat(text(r)).isEqualTo("42");
  }

  @Test
  void anAnswerCutByTheTokenLimitIsIncomplete() {
    upstream.enqueue(FakeResponse.json(200, """
        {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
         "message":{"role":"assistant","content":"Hel"},"finish_reason":"length"}],
         "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}"""));
    Response r = client().responses().create(hello("gpt-via-messages").maxOutputTokens(1).build());
    assertThat(r.status().orElseThrow().asString()).isEqualTo("incomplete");
    assertThat(r.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
        .isEqualTo("max_output_tokens");
  }

  @Test
  void badRequestsAre400sNamingTheParamBeforeAnythingGoesUp() {
    Map<String, String> cases = Map.of(
        "{\"input\":\"x\"}", "model",
        "{\"model\":\"gpt-via-messages\"}", "input",
        "{\"model\":\"gpt-via-messages\",\"input\":\"x\",\"previous_response_id\":1}",
        "previous_response_id",
        "{\"model\":\"gpt-via-messages\",\"input\":\"x\",\"temperature\":\"hot\"}", "temperature",
        "{\"model\":\"gpt-via-messages\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\"}]}",
        "input[0].call_id",
        "{\"model\":\"gpt-via-messages\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}", "tools[0].type",
        "{\"model\":\"gpt-via-messages\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}",
        "input[0].content[0].text");
    cases.forEach((body, param) -> {
      HttpResponse<String> r = post("/v1/responses", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      SCHEMAS.assertValid("ErrorResponse", r.body());
      assertThat(json(r).at("/error/param").asText()).as(body).isEqualTo(param);
      assertThat(json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
    });
    assertThatThrownBy(() -> client().responses().create(ResponseCreateParams.builder().model("gpt-via-messages")
        .input("x").previousResponseId("resp_unknown").build())).isInstanceOf(NotFoundException.class);
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void errorsHaveOpenAisShapeAndStatus() {
    HttpResponse<String> unknown = post("/v1/responses", "{\"model\":\"no-such-model\",\"input\":\"x\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    SCHEMAS.assertValid("ErrorResponse", unknown.body());
    for (boolean stream : new boolean[] {false, true}) {
      upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
          + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}").withHeader("retry-after", "7"));
      HttpResponse<String> r = post("/v1/responses", "{\"model\":\"gpt-via-messages\",\"input\":\"x\",\"stream\":"
          + stream + "}");
      assertThat(r.statusCode()).as("stream " + stream).isEqualTo(429);
      assertThat(r.headers().firstValue("retry-after")).contains("7");
      assertThat(json(r).at("/error/message").asText()).isEqualTo("Rate limit reached");
    }
    HttpResponse<String> get = io.tollgate.testing.Http.get(server.baseUrl() + "/v1/responses",
        "Authorization", "Bearer " + KEY);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(json(get).at("/error/message").asText()).contains("POST");
  }

  @Test
  void aStreamThatFailsAfterItsResponseWasAnnouncedEndsWithResponseFailed() {
    upstream.enqueue(FakeResponse.dropAfter(List.of(
        "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":"
            + "[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}")));
    HttpResponse<String> r = post("/v1/responses", "{\"model\":\"gpt-via-messages\",\"input\":\"x\",\"stream\":true}");
    assertThat(r.statusCode()).isEqualTo(200);
    List<Event> events = MessagesApiTest.events(r.body());
    events.forEach(e -> assertEvent(e));
    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("response.failed");
    assertThat(last.data().at("/response/status").asText()).isEqualTo("failed");
    assertThat(last.data().at("/response/error/message").asText()).isNotBlank();
    assertThat(events).extracting(Event::name).contains("response.output_item.done");
  }

  @Test
  void theOtherPathsWorkToo() {
    for (String path : List.of("/responses", "/api/v1/responses")) {
      HttpResponse<String> r = io.tollgate.testing.Http.post(server.baseUrl() + path,
          "{\"model\":\"echo-test\",\"input\":\"hi\"}", "Authorization", "Bearer " + KEY);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(json(r).get("object").asText()).isEqualTo("response");
    }
  }
}
