package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway in front of a fake Gemini API: provider type {@code gemini}, configured through the YAML file. */
class GeminiProviderTest {
  private static final String KEY = "sk-tollgate-gemini-test";
  private static final String GEMINI_KEY = "AIza-e2e-key";
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate-gemini", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: google
            type: gemini
            base_url: http://127.0.0.1:%d
            api_key: %s
        models:
          - name: gemini-test
            targets: [{provider: google, model: gemini-2.5-flash}]
          - name: gemini-embed
            targets: [{provider: google, model: text-embedding-004}]
        clients:
          - name: gemini-tests
            key: %s
        """.formatted(upstream.port(), GEMINI_KEY, KEY));
    // These tests are about how one upstream answer reaches the client: no retry absorbs it, and a key a test has
    // the fake refuse is tried again by the next test. Retries and key pools are FailoverTest's.
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "0", "KEY_RECHECK_INTERVAL", "1ms",
        "READ_TIMEOUT", "3"));
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
  void chatIsTranslatedBothWays() throws Exception {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/chat-text.gemini.json")));
    HttpResponse<String> r = post(url("/v1/chat/completions"), """
        {"model":"gemini-test","temperature":0.2,"max_tokens":50,"messages":[
          {"role":"system","content":"Be brief."},{"role":"user","content":"A colour?"}]}""",
        "Authorization", bearer(KEY), "X-Request-Id", "req-gemini-chat");
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    JsonNode answer = json(r);
    assertThat(answer.path("model").asText()).as("the modelVersion Gemini reports").isEqualTo("gemini-2.5-flash");
    assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Blue is calm.");
    assertThat(answer.at("/choices/0/message/reasoning_content").asText()).startsWith("The user wants");
    assertThat(answer.at("/usage/total_tokens").asInt()).isEqualTo(46);

    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.header("x-goog-api-key")).isEqualTo(GEMINI_KEY);
    assertThat(sent.header("authorization")).isNull();
    assertThat(sent.json()).isEqualTo(Http.JSON.readTree("""
        {"systemInstruction":{"parts":[{"text":"Be brief."}]},
         "contents":[{"role":"user","parts":[{"text":"A colour?"}]}],
         "generationConfig":{"temperature":0.2,"maxOutputTokens":50}}"""));
    assertThat(rows.await("req-gemini-chat", Duration.ofSeconds(10))).containsEntry("provider", "google")
        .containsEntry("prompt_tokens", 12).containsEntry("completion_tokens", 34);
  }

  @Test
  void aStreamBecomesChunksEndingInDone() {
    upstream.enqueue(FakeResponse.sse(payloads("streams/text.sse"), Duration.ofMillis(20)));
    StreamedChat chat = StreamedChat.post(url("/v1/chat/completions"), """
        {"model":"gemini-test","stream":true,"stream_options":{"include_usage":true},
         "messages":[{"role":"user","content":"Say hello"}]}""",
        "Authorization", bearer(KEY), "X-Request-Id", "req-gemini-stream");
    assertThat(chat.text()).isEqualTo("Hello, world");
    List<String> data = chat.events().data();
    assertThat(data.stream().limit(data.size() - 1).map(GeminiProviderTest::id).distinct()).hasSize(1);
    assertThat(data.get(0)).contains("\"role\":\"assistant\"");
    JsonNode usage = tree(data.get(data.size() - 2));
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(10);

    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(sent.header("x-goog-api-key")).isEqualTo(GEMINI_KEY);
    assertThat(sent.json().has("stream")).isFalse();
    assertThat(rows.await("req-gemini-stream", Duration.ofSeconds(10))).containsEntry("stream", true)
        .containsEntry("prompt_tokens", 7).containsEntry("completion_tokens", 3);
  }

  @Test
  void aStreamedFunctionCallEndsWithToolCalls() {
    upstream.enqueue(FakeResponse.sse(payloads("streams/tool-call.sse"), Duration.ZERO));
    StreamedChat chat = StreamedChat.post(url("/v1/chat/completions"), """
        {"model":"gemini-test","stream":true,"messages":[{"role":"user","content":"Weather in Paris?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
           "properties":{"city":{"type":"string"}},"additionalProperties":false}}},
          {"type":"function","function":{"name":"get_time"}}]}""", "Authorization", bearer(KEY));
    List<JsonNode> chunks = chat.events().data().stream().limit(chat.events().data().size() - 1)
        .map(GeminiProviderTest::tree).toList();
    List<JsonNode> calls = chunks.stream().flatMap(c -> stream(c.at("/choices/0/delta/tool_calls"))).toList();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).path("id").asText()).startsWith("call_");
    assertThat(calls.get(0).at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(calls.get(0).at("/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(calls.get(1).path("index").asInt()).isEqualTo(1);
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(chunks).as("no usage chunk the client did not ask for")
        .allSatisfy(c -> assertThat(c.path("choices")).isNotEmpty());
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.at("/tools/0/functionDeclarations/0/parametersJsonSchema/additionalProperties").asBoolean(true))
        .isFalse();
  }

  @Test
  void aFunctionCallAnswerAndItsResultTravelBothWays() {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/chat-tool-call.gemini.json")));
    HttpResponse<String> r = post(url("/v1/chat/completions"), """
        {"model":"gemini-test","messages":[{"role":"user","content":"Weather in Paris?"}],
         "tools":[{"type":"function","function":{"name":"get_weather"}}],"tool_choice":"required"}""",
        "Authorization", bearer(KEY));
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    JsonNode call = json(r).at("/choices/0/message/tool_calls/0");
    assertThat(json(r).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(upstream.takeRequest().json().at("/toolConfig/functionCallingConfig/mode").asText()).isEqualTo("ANY");

    upstream.enqueue(FakeResponse.json(200, fixture("responses/chat-text.gemini.json")));
    String followUp = """
        {"model":"gemini-test","messages":[{"role":"user","content":"Weather in Paris?"},
          {"role":"assistant","content":null,"tool_calls":[%s]},
          {"role":"tool","tool_call_id":"%s","content":"sunny"}]}""".formatted(call, call.path("id").asText());
    assertThat(post(url("/v1/chat/completions"), followUp, "Authorization", bearer(KEY)).statusCode()).isEqualTo(200);
    JsonNode contents = upstream.takeRequest().json().path("contents");
    assertThat(contents.at("/1/parts/0/functionCall/name").asText()).isEqualTo("get_weather");
    assertThat(contents.at("/1/parts/0/thoughtSignature").asText()).isEqualTo("c2lnMQ==");
    assertThat(contents.at("/2/parts/0/functionResponse").toString())
        .isEqualTo("{\"name\":\"get_weather\",\"response\":{\"content\":\"sunny\"}}");
  }

  @Test
  void embeddingsGoToBatchEmbedContents() {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/embeddings.gemini.json")));
    HttpResponse<String> r = post(url("/v1/embeddings"),
        "{\"model\":\"gemini-embed\",\"input\":[\"hello\",\"world!\"],\"dimensions\":3}", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateEmbeddingResponse", r.body());
    assertThat(json(r).at("/data/1/embedding/2").asDouble()).isEqualTo(-1.0);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    assertThat(sent.json().at("/requests/1/content/parts/0/text").asText()).isEqualTo("world!");
    assertThat(sent.json().at("/requests/1/model").asText()).isEqualTo("models/text-embedding-004");
    assertThat(sent.json().at("/requests/0/outputDimensionality").asInt()).isEqualTo(3);
  }

  @Test
  void upstream400KeepsGeminisMessageAndStatusName() {
    upstream.enqueue(FakeResponse.json(400, """
        {"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified",
         "status":"INVALID_ARGUMENT"}}"""));
    HttpResponse<String> r = post(url("/v1/chat/completions"), chat(false), "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(400);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/message").asText())
        .isEqualTo("* GenerateContentRequest.contents: contents is not specified");
    assertThat(json(r).at("/error/code").asText()).isEqualTo("INVALID_ARGUMENT");
  }

  @Test
  void upstream429IsA429WithRetryAfterForPlainAndStreamedCalls() {
    String exhausted = """
        {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
         "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7s"}]}}""";
    for (boolean stream : new boolean[] {false, true}) {
      upstream.enqueue(FakeResponse.json(429, exhausted));
      HttpResponse<String> r = post(url("/v1/chat/completions"), chat(stream), "Authorization", bearer(KEY));
      assertThat(r.statusCode()).isEqualTo(429);
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
      assertThat(r.headers().firstValue("Retry-After")).contains("7");
      assertThat(json(r).at("/error/message").asText()).isEqualTo("You exceeded your current quota.");
    }
  }

  @Test
  void aBlockedPromptIsA400EvenWhenStreamed() {
    upstream.enqueue(FakeResponse.json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}"));
    upstream.enqueue(FakeResponse.sse(payloads("streams/blocked.sse"), Duration.ZERO));
    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> r = post(url("/v1/chat/completions"), chat(stream), "Authorization", bearer(KEY));
      assertThat(r.statusCode()).isEqualTo(400);
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
      assertThat(json(r).at("/error/code").asText()).isEqualTo("content_filter");
    }
  }

  @Test
  void theOpenAiSdkReadsAStreamedAnswerAndAToolCall() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(url("/v1")).apiKey(KEY).maxRetries(0).build();
    upstream.enqueue(FakeResponse.sse(payloads("streams/text.sse"), Duration.ZERO));
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gemini-test").addUserMessage("Say hello").build())) {
      List<ChatCompletionChunk> chunks = stream.stream().toList();
      assertThat(chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
          .collect(Collectors.joining())).isEqualTo("Hello, world");
      assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
          .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }
    upstream.enqueue(FakeResponse.json(200, fixture("responses/chat-tool-call.gemini.json")));
    ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gemini-test").addUserMessage("Weather in Paris?").build());
    ChatCompletionMessageToolCall call = c.choices().get(0).message().toolCalls().orElseThrow().get(0);
    assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
    assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\",\"days\":2}");
    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }

  private static String chat(boolean stream) {
    return "{\"model\":\"gemini-test\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  private static String url(String path) {
    return server.baseUrl() + path;
  }

  private static String fixture(String name) {
    try (InputStream in = GeminiProviderTest.class.getResourceAsStream("/fixtures/gemini/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data payloads of a recorded stream, for {@link FakeResponse#sse}. */
  private static List<String> payloads(String name) {
    return Arrays.stream(fixture(name).split("\r?\n")).filter(l -> l.startsWith("data: "))
        .map(l -> l.substring(6)).toList();
  }

  private static JsonNode tree(String json) {
    try {
      return Http.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String id(String chunk) {
    return tree(chunk).path("id").asText();
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }
}
