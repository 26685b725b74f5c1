package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The azure provider type before a fake Azure OpenAI resource: deployment URLs, api-version, api-key, filters. */
class AzureProviderTest {
  private static final String KEY = "sk-tollgate-azure-test";
  private static final String AZURE_KEY = "azure-resource-key-0123456789";
  private static final String FILTERS = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeUpstream.start();
    String resource = "http://127.0.0.1:" + upstream.port();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: az
            type: azure
            base_url: %s/
            api_key: %s
            api_version: 2025-01-01-preview
          - name: az-default
            type: azure
            base_url: %s/openai
            api_key: %s
          - name: az-old
            type: azure
            base_url: %s
            api_key: %s
            options: {api_version: 2024-06-01}
        models:
          - name: azure-chat
            targets: [{provider: az, model: gpt-4o-deployment}]
          - name: azure-embed
            targets: [{provider: az, model: embedding-deployment}]
          - name: azure-default
            targets: [{provider: az-default, model: other deployment}]
          - name: azure-old
            targets: [{provider: az-old, model: old-deployment}]
        clients:
          - name: azure-tests
            key: %s
        """.formatted(resource, AZURE_KEY, resource, AZURE_KEY, resource, AZURE_KEY, KEY));
    // These tests are about how one upstream answer reaches the client: no retry absorbs it, and a key a test has
    // the fake refuse is tried again by the next test. Retries and key pools are FailoverTest's.
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "0", "KEY_RECHECK_INTERVAL", "1ms",
        "READ_TIMEOUT", "5"));
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

  private static String chat(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  @Test
  void chatGoesToTheDeploymentWithApiVersionAndApiKeyHeader() {
    upstream.enqueue(FakeResponse.json(200, azureAnswer()));
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", chat("azure-chat", false, ""),
        "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("Hello from Azure");
    assertThat(json(r).path("model").asText()).as("the model Azure reports").isEqualTo("gpt-4o-2024-08-06");
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path())
        .isEqualTo("/openai/deployments/gpt-4o-deployment/chat/completions?api-version=2025-01-01-preview");
    assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
    assertThat(sent.header("authorization")).isNull();
    assertThat(sent.json().path("model").asText()).isEqualTo("gpt-4o-deployment");
    assertThat(sent.json().at("/messages/0/content").asText()).isEqualTo("Say hello");
  }

  @Test
  void anAnthropicClientsAnswerNamesTheModelAzureReports() {
    upstream.enqueue(FakeResponse.json(200, azureAnswer()));
    HttpResponse<String> r = post(server.baseUrl() + "/v1/messages", "{\"model\":\"azure-chat\",\"max_tokens\":9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(json(r).at("/content/0/text").asText()).isEqualTo("Hello from Azure");
  }

  @Test
  void withoutApiVersionTheDefaultIsUsedAndABaseUrlEndingInOpenaiIsNotDoubled() {
    assertThat(post(server.baseUrl() + "/v1/chat/completions", chat("azure-default", false, ""),
        "Authorization", bearer(KEY)).statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().path())
        .isEqualTo("/openai/deployments/other%20deployment/chat/completions?api-version=2024-10-21");
  }

  @Test
  void streamDropsContentFilterChunksAndEveryChunkCarriesOneId() {
    upstream.enqueue(FakeResponse.sse(azureStream(), Duration.ZERO));
    StreamedChat streamed = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        chat("azure-chat", true, ",\"stream_options\":{\"include_usage\":true}"), "Authorization", bearer(KEY));
    assertThat(streamed.text()).isEqualTo("Hello there");
    List<String> chunks = streamed.events().data().subList(0, streamed.events().data().size() - 1);
    Set<String> ids = new HashSet<>();
    for (String data : chunks) {
      JsonNode chunk = parse(data);
      ids.add(chunk.path("id").asText());
      assertThat(chunk.has("prompt_filter_results")).as(data).isFalse();
      assertThat(chunk.path("created").asLong()).isEqualTo(1_700_000_001L);
      assertThat(chunk.path("model").asText()).as(data).isEqualTo("gpt-4o-2024-08-06");
    }
    assertThat(ids).containsExactly("chatcmpl-azure-1");
    JsonNode last = parse(chunks.get(chunks.size() - 1));
    assertThat(last.path("choices").size()).isZero();
    assertThat(last.at("/usage/total_tokens").asInt()).isEqualTo(12);
    assertThat(parse(chunks.get(chunks.size() - 2)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).startsWith("/openai/deployments/gpt-4o-deployment/chat/completions?");
    assertThat(sent.json().at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  @Test
  void streamWithoutUsageAskedGetsNoUsageChunk() {
    upstream.enqueue(FakeResponse.sse(azureStream(), Duration.ZERO));
    StreamedChat streamed = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        chat("azure-chat", true, ""), "Authorization", bearer(KEY));
    assertThat(streamed.text()).isEqualTo("Hello there");
    for (String data : streamed.events().data().subList(0, streamed.events().data().size() - 1)) {
      assertThat(parse(data).path("choices").size()).as(data).isPositive();
    }
  }

  @Test
  void versionsBeforeStreamOptionsAreNotAskedForUsage() {
    StreamedChat streamed = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        chat("azure-old", true, ""), "Authorization", bearer(KEY));
    assertThat(streamed.text()).isEqualTo("Hello fake");
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/openai/deployments/old-deployment/chat/completions?api-version=2024-06-01");
    assertThat(sent.json().has("stream_options")).isFalse();
  }

  @Test
  void embeddingsGoToTheEmbeddingDeployment() {
    HttpResponse<String> r = post(server.baseUrl() + "/v1/embeddings",
        "{\"model\":\"azure-embed\",\"input\":[\"a\",\"b\"]}", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateEmbeddingResponse", r.body());
    assertThat(json(r).path("data").size()).isEqualTo(2);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path())
        .isEqualTo("/openai/deployments/embedding-deployment/embeddings?api-version=2025-01-01-preview");
    assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
  }

  @Test
  void legacyCompletionsGoToTheCompletionsPath() {
    HttpResponse<String> r = post(server.baseUrl() + "/v1/completions",
        "{\"model\":\"azure-chat\",\"prompt\":\"Say hello\"}", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateCompletionResponse", r.body());
    assertThat(upstream.takeRequest().path())
        .isEqualTo("/openai/deployments/gpt-4o-deployment/completions?api-version=2025-01-01-preview");
  }

  @Test
  void azureErrorsKeepTheirMessageAndARefusedKeyBecomes502() {
    upstream.enqueue(FakeResponse.json(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":"
        + "\"The API deployment for this resource does not exist.\"}}"));
    HttpResponse<String> missing = post(server.baseUrl() + "/v1/chat/completions", chat("azure-chat", false, ""),
        "Authorization", bearer(KEY));
    assertThat(missing.statusCode()).isEqualTo(404);
    OpenApiSchemas.load().assertValid("ErrorResponse", missing.body());
    assertThat(json(missing).at("/error/message").asText()).contains("deployment for this resource does not exist");

    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to "
        + "invalid subscription key " + AZURE_KEY + "\"}}"));
    HttpResponse<String> refused = post(server.baseUrl() + "/v1/chat/completions", chat("azure-chat", false, ""),
        "Authorization", bearer(KEY));
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(refused.body()).doesNotContain(AZURE_KEY);
  }

  @Test
  void theQuickStartTakesUpstreamTypeAzure() {
    try (GatewayServer quick = GatewayServer.start(Map.of("UPSTREAM_BASE_URL", "http://127.0.0.1:" + upstream.port(),
        "UPSTREAM_API_KEY", AZURE_KEY, "UPSTREAM_TYPE", "azure", "API_KEYS", KEY))) {
      HttpResponse<String> r = post(quick.baseUrl() + "/v1/chat/completions", chat("my-deployment", false, ""),
          "Authorization", bearer(KEY));
      assertThat(r.statusCode()).isEqualTo(200);
      RecordedRequest sent = upstream.takeRequest();
      assertThat(sent.path()).isEqualTo("/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21");
      assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
    }
  }

  /** An answer as Azure writes it, with its prompt and completion filter results. */
  private static String azureAnswer() {
    return "{\"id\":\"chatcmpl-azure-0\",\"object\":\"chat.completion\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_1\","
        + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":" + FILTERS + "}],"
        + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"logprobs\":null,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello from Azure\",\"refusal\":null},"
        + "\"content_filter_results\":" + FILTERS + "}],"
        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}";
  }

  /**
   * A stream as Azure writes it: the prompt's filter results first (blank id, empty choices), content chunks with
   * their own filter results, an asynchronous-filter annotation (blank id, a choice without delta), the finish,
   * the usage chunk and [DONE].
   */
  private static List<String> azureStream() {
    String head = "{\"id\":\"chatcmpl-azure-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_1\",";
    return List.of(
        "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
            + "[{\"prompt_index\":0,\"content_filter_results\":" + FILTERS + "}]}",
        head + "\"choices\":[{\"index\":0,\"finish_reason\":null,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
            + "\"content_filter_results\":{}}],\"usage\":null}",
        head + "\"choices\":[{\"index\":0,\"finish_reason\":null,\"delta\":{\"content\":\"Hello\"},"
            + "\"content_filter_results\":" + FILTERS + "}],\"usage\":null}",
        "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,\"finish_reason\":null,"
            + "\"content_filter_results\":" + FILTERS + ",\"content_filter_offsets\":{\"check_offset\":0,"
            + "\"start_offset\":0,\"end_offset\":5}}],\"usage\":null}",
        head + "\"choices\":[{\"index\":0,\"finish_reason\":null,\"delta\":{\"content\":\" there\"},"
            + "\"content_filter_results\":" + FILTERS + "}],\"usage\":null}",
        head + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"delta\":{},"
            + "\"content_filter_results\":{}}],\"usage\":null}",
        head + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}",
        "[DONE]");
  }

  private static JsonNode parse(String data) {
    try {
      return Http.JSON.readTree(data);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + data, e);
    }
  }
}
