package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.testing.RequestLogRows;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model table before a fake OpenAI upstream: patterns, aliases and per-model capabilities. */
class ModelTableTest {
  private static final String KEY = "sk-tollgate-model-table-test";
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void start() throws IOException {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: main
            type: openai
            base_url: %s
            api_key: sk-model-table-upstream
          - name: cannot-list
            type: azure
            base_url: http://127.0.0.1:9
            api_key: sk-azure-never-asked
        models:
          - name: deepseek-*
            targets: [{provider: main}]
          - name: deepseek-special
            targets: [{provider: main, model: special-upstream}]
          - name: fake-model-*
            targets: [{provider: main, model: "*"}]
          - name: fixed-*
            targets: [{provider: main, model: fixed-upstream}]
          - name: capped
            aliases: [capped-alias, small]
            max_tokens: 100
            targets: [{provider: main, model: capped-upstream}]
          - name: no-stream
            supports_streaming: false
            targets: [{provider: main, model: whole-answers}]
          - name: no-tools
            supports_tools: false
            targets: [{provider: main}]
          - name: azure-*
            targets: [{provider: cannot-list}]
        clients:
          - name: model-table-tests
            key: %s
        """.formatted(upstream.baseUrl(), KEY));
    // These tests are about how one upstream answer reaches the client: no retry absorbs it, and a key a test has
    // the fake refuse is tried again by the next test. Retries and key pools are FailoverTest's.
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "0", "KEY_RECHECK_INTERVAL", "1ms",
        "READ_TIMEOUT", "5"));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.reset();
  }

  private static String chat(String model, String extra) {
    return "{\"model\":\"" + model + "\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  private static HttpResponse<String> send(String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = bearer(KEY);
    System.arraycopy(headers, 0, all, 2, headers.length);
    return post(server.baseUrl() + "/v1/chat/completions", body, all);
  }

  /** The model name the fake received for a plain chat with this public name. */
  private static String upstreamModelFor(String model) {
    HttpResponse<String> r = send(chat(model, ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    return upstream.takeRequest().json().path("model").asText();
  }

  @Test
  void aPatternPassesTheRequestedNameUpstream() {
    assertThat(upstreamModelFor("deepseek-chat-v3")).isEqualTo("deepseek-chat-v3");
    assertThat(upstreamModelFor("fake-model-7")).isEqualTo("fake-model-7");
  }

  @Test
  void anExactNameWinsOverAPatternAndAPatternMaySendOneFixedModel() {
    assertThat(upstreamModelFor("deepseek-special")).isEqualTo("special-upstream");
    assertThat(upstreamModelFor("fixed-anything")).isEqualTo("fixed-upstream");
    assertThat(send(chat("unknown-model", "")).statusCode()).isEqualTo(404);
  }

  @Test
  void anAliasReachesItsEntrysTargetAndIsLoggedAsAsked() {
    HttpResponse<String> r = send(chat("capped-alias", ""), "X-Request-Id", "req-model-alias");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().path("model").asText()).isEqualTo("capped-upstream");
    assertThat(rows.await("req-model-alias", Duration.ofSeconds(10))).containsEntry("model", "capped-alias")
        .containsEntry("upstream_model", "capped-upstream").containsEntry("provider", "main");
  }

  @Test
  void tokenCountsAboveTheCapAreClampedAndOthersLeftAlone() {
    send(chat("capped", ",\"max_tokens\":5000,\"max_completion_tokens\":101"));
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
    assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(100);

    send(chat("small", ",\"max_completion_tokens\":100,\"max_tokens\":7"));
    sent = upstream.takeRequest().json();
    assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(100);
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(7);

    send(chat("capped", ""));
    sent = upstream.takeRequest().json();
    assertThat(sent.has("max_tokens") || sent.has("max_completion_tokens")).as("none asked, none added").isFalse();

    StreamedChat.post(server.baseUrl() + "/v1/chat/completions", chat("capped", ",\"stream\":true,\"max_tokens\":999"),
        "Authorization", bearer(KEY));
    assertThat(upstream.takeRequest().json().path("max_tokens").asInt()).isEqualTo(100);
  }

  @Test
  void aModelWithoutStreamingIsCalledWholeAndReplayedAsValidSse() {
    StreamedChat out = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        chat("no-stream", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"), "Authorization", bearer(KEY),
        "X-Request-Id", "req-model-replayed");
    assertThat(out.text()).isEqualTo("Hello from fake");
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.path("model").asText()).isEqualTo("whole-answers");
    assertThat(sent.has("stream")).isFalse();
    assertThat(sent.has("stream_options")).isFalse();
    List<String> data = out.events().data();
    assertThat(data.get(data.size() - 2)).contains("\"choices\":[]", "\"total_tokens\":10");
    assertThat(data.subList(0, data.size() - 1).stream().map(d -> parse(d).path("id").asText()).distinct())
        .hasSize(1);
    assertThat(rows.await("req-model-replayed", Duration.ofSeconds(10))).containsEntry("stream", true)
        .containsEntry("prompt_tokens", 7).containsEntry("completion_tokens", 3);

    StreamedChat plain = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        chat("no-stream", ",\"stream\":true"), "Authorization", bearer(KEY));
    assertThat(plain.events().data()).as("no usage chunk unless asked").noneMatch(d -> d.contains("\"choices\":[]"));
  }

  @Test
  void aReplayedToolCallIsValidSse() {
    upstream.enqueue(FakeResponse.json(200, """
        {"id": "chatcmpl-tool", "object": "chat.completion", "created": 1700000000, "model": "whole-answers",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": null, "tool_calls": [
           {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
           "logprobs": null, "finish_reason": "tool_calls"}],
         "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}}"""));
    StreamedChat out = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        chat("no-stream", ",\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]"),
        "Authorization", bearer(KEY));
    List<JsonNode> chunks = out.events().data().subList(0, out.events().data().size() - 1).stream()
        .map(ModelTableTest::parse).toList();
    JsonNode call = chunks.stream().map(c -> c.at("/choices/0/delta/tool_calls/0")).filter(JsonNode::isObject)
        .findFirst().orElseThrow();
    assertThat(call.path("index").asInt()).isZero();
    assertThat(call.path("id").asText()).isEqualTo("call_1");
    assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void theOpenAiSdkReadsAReplayedStream() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(KEY).maxRetries(0)
        .build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("no-stream").addUserMessage("Say hello").build())) {
      String text = stream.stream().flatMap(ch -> ch.choices().stream())
          .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
      assertThat(text).isEqualTo("Hello from fake");
    }
    assertThat(upstream.takeRequest().json().has("stream")).isFalse();
  }

  @Test
  void anUpstreamErrorOfAReplayedStreamKeepsItsStatus() {
    upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}")
        .withHeader("Retry-After", "3"));
    HttpResponse<String> r = send(chat("no-stream", ",\"stream\":true"));
    assertThat(r.statusCode()).isEqualTo(429);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(r.body()).contains("slow down");
  }

  @Test
  void toolsAreRefusedForAModelWithoutThemAndNothingGoesUpstream() {
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
    for (String extra : List.of(tools, tools + ",\"stream\":true", ",\"functions\":[{\"name\":\"f\"}]")) {
      HttpResponse<String> r = send(chat("no-tools", extra));
      assertThat(r.statusCode()).as(extra).isEqualTo(400);
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
      assertThat(json(r).at("/error/message").asText()).contains("'no-tools' does not support tools");
      assertThat(json(r).at("/error/param").asText()).isIn("tools", "functions");
    }
    assertThat(upstream.requestCount()).isZero();
    assertThat(send(chat("no-tools", "")).statusCode()).isEqualTo(200);
    assertThat(send(chat("capped", tools)).statusCode()).as("other models take tools").isEqualTo(200);
  }

  @Test
  void modelsListNamesAliasesAndWhatThePatternsMatchUpstream() {
    HttpResponse<String> r = get(server.baseUrl() + "/v1/models", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("ListModelsResponse", r.body());
    List<String> ids = json(r).findValuesAsText("id");
    assertThat(ids).contains("deepseek-special", "capped", "capped-alias", "small", "no-stream", "no-tools",
        "fake-model-2").doesNotContain("fake-model").noneMatch(id -> id.contains("*")).doesNotHaveDuplicates();
    json(r).path("data").forEach(m -> OpenApiSchemas.load().assertValid("Model", m.toString()));

    for (String servable : List.of("deepseek-anything", "small", "fake-model-2", "azure-gpt-4o")) {
      HttpResponse<String> one = get(server.baseUrl() + "/v1/models/" + servable, "Authorization", bearer(KEY));
      assertThat(one.statusCode()).as(servable).isEqualTo(200);
      OpenApiSchemas.load().assertValid("Model", one.body());
      assertThat(json(one).path("id").asText()).isEqualTo(servable);
    }
    assertThat(get(server.baseUrl() + "/v1/models/fake-model", "Authorization", bearer(KEY)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void providerListsAreAskedForOncePerCachePeriod() {
    for (int i = 0; i < 3; i++) {
      assertThat(get(server.baseUrl() + "/v1/models", "Authorization", bearer(KEY)).statusCode()).isEqualTo(200);
    }
    assertThat(upstream.requestCount()).as("the first listing may have happened in an earlier test").isLessThan(2);
  }

  private static JsonNode parse(String data) {
    try {
      return io.tollgate.testing.Http.JSON.readTree(data);
    } catch (IOException e) {
      throw new AssertionError(data, e);
    }
  }
}
