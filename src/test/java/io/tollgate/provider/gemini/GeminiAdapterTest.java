package io.tollgate.provider.gemini;

import static io.tollgate.provider.gemini.GeminiFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.GatewayConfig.UpstreamConfig;
import io.tollgate.config.Secret;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.RequestValidator;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.upstream.UpstreamClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The adapter against a fake Gemini on a loopback socket: the exact calls it makes and how it reads failures. */
class GeminiAdapterTest {
  private static FakeUpstream upstream;
  private static UpstreamClient client;
  private static GeminiAdapter adapter;

  @BeforeAll
  static void start() {
    upstream = FakeUpstream.start();
    client = new UpstreamClient(new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(2), 4));
    adapter = new GeminiAdapter(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  private static Route route(String baseSuffix, Map<String, String> options) {
    return new Route("gemini-test", "google", "gemini", "http://127.0.0.1:" + upstream.port() + baseSuffix,
        "gemini-2.5-flash", Secret.of("AIza-test-key"), false, options);
  }

  @ParameterizedTest(name = "base URL \"{0}\", api_version \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "|null|/v1beta/models/gemini-2.5-flash:generateContent",
      "/|null|/v1beta/models/gemini-2.5-flash:generateContent",
      "/v1beta/|null|/v1beta/models/gemini-2.5-flash:generateContent",
      "/v1|null|/v1/models/gemini-2.5-flash:generateContent",
      "|v1alpha|/v1alpha/models/gemini-2.5-flash:generateContent",
      "/v1beta|v1|/v1/models/gemini-2.5-flash:generateContent"}, nullValues = "null")
  void theCallGoesToTheVersionedModelPathWithTheKeyInItsHeader(String suffix, String version, String path)
      throws Exception {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/chat-text.gemini.json")));
    Route route = route(suffix == null ? "" : suffix, version == null ? Map.of() : Map.of("api_version", version));
    String body = "{\"model\":\"gemini-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    byte[] answer = adapter.call(route, RequestValidator.parse(Endpoint.CHAT, body.getBytes(StandardCharsets.UTF_8)))
        .get(5, TimeUnit.SECONDS);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo(path);
    assertThat(sent.header("x-goog-api-key")).isEqualTo("AIza-test-key");
    assertThat(sent.header("authorization")).isNull();
    assertThat(Json.tree(answer).at("/choices/0/message/content").asText()).isEqualTo("Blue is calm.");
  }

  @Test
  void listModelsAsksTheModelsEndpointAndAnswersInOpenAiForm() throws Exception {
    upstream.enqueue(FakeResponse.json(200, fixture("responses/models-list.gemini.json")));
    JsonNode list = adapter.listModels(route("", Map.of())).get(5, TimeUnit.SECONDS);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.method()).isEqualTo("GET");
    assertThat(sent.path()).isEqualTo("/v1beta/models?pageSize=1000");
    assertThat(sent.header("x-goog-api-key")).isEqualTo("AIza-test-key");
    assertThat(list.at("/data/0/id").asText()).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void aRefusedKeyIsTheGatewaysCredentialFailingNotTheClients400() {
    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a "
        + "valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/"
        + "google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}]}}"));
    GatewayException e = failure(adapter.listModels(route("", Map.of())));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.code()).isEqualTo("upstream_auth_error");
  }

  @Test
  void theRetryDelayOfA429BecomesRetryAfter() {
    upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
        + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
        + "\"retryDelay\":\"16.4s\"}]}}"));
    GatewayException e = failure(adapter.listModels(route("", Map.of())));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.headers()).containsEntry("Retry-After", "17");
    assertThat(e.code()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.getMessage()).isEqualTo("Resource has been exhausted");
  }

  private static String fixture(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static GatewayException failure(CompletableFuture<?> future) {
    Throwable t = catchThrowable(() -> future.get(5, TimeUnit.SECONDS));
    RuntimeException mapped = UpstreamErrors.map(t.getCause(), route("", Map.of()));
    assertThat(mapped).isInstanceOf(GatewayException.class);
    return (GatewayException) mapped;
  }
}
