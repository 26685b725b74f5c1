package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.testing.RequestLogRows;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A gateway whose model claude-test is served by a fake Anthropic Messages API: the whole trip, both ways. */
class AnthropicProviderTest {
  private static final String KEY = "sk-tollgate-anthropic-test";
  private static final String ANTHROPIC_KEY = "sk-ant-upstream-1";
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws IOException {
    upstream = FakeUpstream.start();
    String base = upstream.baseUrl().substring(0, upstream.baseUrl().length() - "/v1".length());
    Path yaml = Files.createTempFile("tollgate-anthropic", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: claude
            type: anthropic
            base_url: %s
            api_key: %s
        models:
          - name: claude-test
            targets: [{provider: claude, model: claude-upstream}]
        clients:
          - name: anthropic-tests
            key: %s
        """.formatted(base, ANTHROPIC_KEY, KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "READ_TIMEOUT", "5"));
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

  @Test
  void chatBecomesAMessagesCallAndItsAnswerAChatCompletion() throws IOException {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/text.anthropic.json")));
    HttpResponse<String> r = post("/v1/chat/completions", """
        {"model":"claude-test","max_tokens":100,"temperature":0.3,"stop":"END","messages":[
          {"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}]}""");
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    JsonNode answer = json(r);
    assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Hello! How can I help?");
    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(answer.at("/usage/prompt_tokens").asInt()).isEqualTo(2060);

    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.header("content-type")).startsWith("application/json");
    assertThat(sent.header("authorization")).isNull();
    assertThat(sent.json()).isEqualTo(Http.JSON.readTree("""
        {"model":"claude-upstream","system":"Be brief.","messages":[{"role":"user","content":"Say hello"}],
         "max_tokens":100,"temperature":0.3,"stop_sequences":["END"]}"""));
  }

  @Test
  void streamedChatBecomesChunksEndingInDoneWithUsageLogged() throws Exception {
    upstream.enqueue(FakeResponse.rawEvents(events("text.sse"), Duration.ofMillis(5)));
    SseEvents events = SseEvents.read(stream("""
        {"model":"claude-test","stream":true,"stream_options":{"include_usage":true},
         "messages":[{"role":"user","content":"Say hello"}]}""", "req-anthropic-stream-1"));
    assertThat(events.failure()).isNull();
    assertThat(events.last()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    List<String> chunks = events.data().subList(0, events.data().size() - 1);
    for (String chunk : chunks) {
      OpenApiSchemas.load().assertValid("CreateChatCompletionStreamResponse", chunk);
      text.append(Http.JSON.readTree(chunk).at("/choices/0/delta/content").asText(""));
    }
    assertThat(text.toString()).isEqualTo("Hello there!");
    assertThat(chunks.stream().map(c -> read(c).get("id").asText()).distinct()).hasSize(1);
    assertThat(read(chunks.get(chunks.size() - 1)).at("/usage/total_tokens").asInt()).isEqualTo(20);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.json().get("stream").asBoolean()).isTrue();
    assertThat(sent.json().has("stream_options")).isFalse();
    assertThat(sent.header("accept")).isEqualTo("text/event-stream");
    assertThat(rows.await("req-anthropic-stream-1", Duration.ofSeconds(10)))
        .containsEntry("prompt_tokens", 14).containsEntry("completion_tokens", 6);
  }

  @Test
  void aToolCallGoesOutAsToolCallsAndItsResultComesBackAsToolResult() throws IOException {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/tool-use-only.anthropic.json")));
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_time\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]";
    HttpResponse<String> first = post("/v1/chat/completions", "{\"model\":\"claude-test\"" + tools
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"What time is it?\"}]}");
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", first.body());
    JsonNode call = json(first).at("/choices/0/message/tool_calls/0");
    assertThat(call.at("/function/name").asText()).isEqualTo("get_time");
    assertThat(json(first).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(upstream.takeRequest().json().at("/tools/0/input_schema/type").asText()).isEqualTo("object");

    upstream.enqueue(FakeResponse.json(200, fixture("responses/text.anthropic.json")));
    HttpResponse<String> second = post("/v1/chat/completions", "{\"model\":\"claude-test\"" + tools
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"What time is it?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"" + call.get("id").asText() + "\",\"content\":\"12:00\"}]}");
    assertThat(second.statusCode()).isEqualTo(200);
    JsonNode turns = upstream.takeRequest().json().get("messages");
    assertThat(turns.at("/1/content/0")).isEqualTo(Http.JSON.readTree("{\"type\":\"tool_use\","
        + "\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_time\",\"input\":{}}"));
    assertThat(turns.at("/2/role").asText()).isEqualTo("user");
    assertThat(turns.at("/2/content/0")).isEqualTo(Http.JSON.readTree("{\"type\":\"tool_result\","
        + "\"tool_use_id\":\"toolu_01A09q90qw90lq917835lq9\",\"content\":\"12:00\"}"));
  }

  @Test
  void anthropics400KeepsItsStatusAndMessage() {
    upstream.enqueue(FakeResponse.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"message\":\"messages.0.content: Field required\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}"));
    HttpResponse<String> r = post("/v1/chat/completions", chat("Hi"));
    assertThat(r.statusCode()).isEqualTo(400);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/message").asText()).isEqualTo("messages.0.content: Field required");
  }

  @Test
  void anthropicOverloaded529BecomesA502WithItsMessage() {
    upstream.enqueue(FakeResponse.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}"));
    HttpResponse<String> r = post("/v1/chat/completions", chat("Hi"));
    assertThat(r.statusCode()).isEqualTo(502);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/message").asText()).contains("Overloaded");
  }

  @Test
  void anOverloadedErrorMidStreamEndsItWithAnErrorEvent() throws Exception {
    upstream.enqueue(FakeResponse.rawEvents(events("error-overloaded.sse"), Duration.ZERO));
    SseEvents events = SseEvents.read(stream(chat("Hi").replace("{", "{\"stream\":true,"), "req-anthropic-err-1"));
    assertThat(events.last()).contains("Overloaded");
    OpenApiSchemas.load().assertValid("ErrorResponse", events.last());
    assertThat(events.data()).doesNotContain("[DONE]");
  }

  @Test
  void embeddingsGetAClear400AndNeverReachAnthropic() {
    HttpResponse<String> r = post("/v1/embeddings", "{\"model\":\"claude-test\",\"input\":\"hello\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/message").asText()).contains("no embeddings");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void legacyCompletionsAreServedByTheMessagesApi() throws IOException {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/completion-stop-sequence.anthropic.json")));
    HttpResponse<String> r = post("/v1/completions", "{\"model\":\"claude-test\",\"prompt\":\"Once upon a time\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateCompletionResponse", r.body());
    assertThat(json(r).at("/choices/0/text").asText()).isEqualTo(", there was a lighthouse keeper");
    assertThat(upstream.takeRequest().json().at("/messages/0/content").asText()).isEqualTo("Once upon a time");
  }

  @Test
  void theOpenAiSdkReadsAStreamedToolCall() {
    upstream.enqueue(FakeResponse.rawEvents(events("tool-call.sse"), Duration.ofMillis(5)));
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(KEY)
        .maxRetries(0).build();
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("claude-test")
        .addUserMessage("Weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder().name("get_weather").parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object")).build()).build())
        .build();
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion whole = accumulator.chatCompletion();
    ChatCompletion.Choice choice = whole.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(choice.message().content()).contains("Okay, let's check the weather for Paris.");
    List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
        .map(c -> c.asFunction()).toList();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).id()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    assertThat(calls.get(0).function().name()).isEqualTo("get_weather");
    assertThat(read(calls.get(0).function().arguments()))
        .isEqualTo(read("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
    assertThat(calls.get(1).function().name()).isEqualTo("get_time");
  }

  private static String chat(String text) {
    return "{\"model\":\"claude-test\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  private static HttpResponse<String> post(String path, String body) {
    return Http.post(server.baseUrl() + path, body, "Authorization", bearer(KEY));
  }

  private static InputStream stream(String body, String requestId) throws Exception {
    HttpRequest request = Http.builder(server.baseUrl() + "/v1/chat/completions", "Authorization", bearer(KEY),
            "Content-Type", "application/json", "X-Request-Id", requestId)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<InputStream> r = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** A recorded stream's events, each "event: ...\ndata: ..." without the blank line between them. */
  private static List<String> events(String file) {
    return Arrays.stream(fixture("streams/" + file).split("\n\n")).map(String::strip)
        .filter(e -> !e.isEmpty()).toList();
  }

  private static String fixture(String path) {
    try (InputStream in = AnthropicProviderTest.class.getResourceAsStream("/fixtures/anthropic/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return Http.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
