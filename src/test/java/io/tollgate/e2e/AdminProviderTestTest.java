package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /admin/providers/{name}/test: one one-token chat call through each provider type's real adapter, before fake
 * upstreams, answered as a provider.test object that never holds an upstream key or a secret header value.
 */
class AdminProviderTestTest {
  private static final String ADMIN = "admin-key-for-provider-tests";
  private static final String CLIENT = "sk-tollgate-provider-test-client";
  private static final String OAI_KEY = "sk-openai-upstream-key-0000001";
  private static final String CLAUDE_KEY = "sk-ant-upstream-key-000000001";
  private static final String GEMINI_KEY = "AIza-gemini-upstream-key-00001";
  private static final String GONE_KEY = "sk-gone-upstream-key-00000001";
  private static final String HEADER_SECRET = "header-secret-value-0000001";
  private static final List<String> SECRETS = List.of(OAI_KEY, CLAUDE_KEY, GEMINI_KEY, GONE_KEY, HEADER_SECRET);
  private static FakeUpstream openai;
  private static FakeUpstream claude;
  private static FakeUpstream gemini;
  private static GatewayServer server;

  @BeforeAll
  static void startAll() throws IOException {
    openai = FakeUpstream.start();
    claude = FakeUpstream.start();
    gemini = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate-provider-test", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: oai, type: openai, base_url: "%s", api_key: %s}
          - {name: claude, type: anthropic, base_url: "http://127.0.0.1:%d", api_key: %s}
          - {name: google, type: gemini, base_url: "http://127.0.0.1:%d", api_key: %s}
          - {name: gone, type: openai, base_url: "http://127.0.0.1:%d/v1", api_key: %s}
          - {name: bare, type: openai, base_url: "%s", api_key: %s}
        models:
          - {name: "a-*", targets: [{provider: oai}]}
          - {name: c-gpt, targets: [{provider: oai, model: gpt-probe}]}
          - {name: claude-model, targets: [{provider: claude, model: claude-probe}]}
          - {name: gemini-model, targets: [{provider: google, model: gemini-probe}]}
          - {name: gone-model, targets: [{provider: gone, model: gone-probe}]}
        clients:
          - {name: provider-tests, key: %s}
        """.formatted(openai.baseUrl(), OAI_KEY, claude.port(), CLAUDE_KEY, gemini.port(), GEMINI_KEY, closedPort(),
        GONE_KEY, openai.baseUrl(), OAI_KEY, CLIENT));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "AUTH_FAILURE_LIMIT", "0"));
  }

  @AfterAll
  static void stopAll() {
    server.close();
    openai.close();
    claude.close();
    gemini.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    openai.reset();
    claude.reset();
    gemini.reset();
  }

  @Test
  void openAiProviderAnswersAOneTokenChat() {
    JsonNode r = test("oai", null);
    assertOk(r, "oai", "gpt-probe");
    RecordedRequest sent = openai.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo(bearer(OAI_KEY));
    assertThat(sent.json().path("model").asText()).isEqualTo("gpt-probe");
    assertThat(sent.json().path("max_tokens").asInt()).isEqualTo(1);
    assertThat(sent.json().path("stream").asBoolean(false)).isFalse();
    assertThat(sent.json().at("/messages/0/content").asText()).isEqualTo("ping");
    assertThat(openai.requestCount()).isEqualTo(1);
  }

  @Test
  void anthropicProviderGetsAMessagesCall() {
    assertOk(test("claude", null), "claude", "claude-probe");
    RecordedRequest sent = claude.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo(CLAUDE_KEY);
    assertThat(sent.json().path("model").asText()).isEqualTo("claude-probe");
    assertThat(sent.json().path("max_tokens").asInt()).isEqualTo(1);
    assertThat(sent.json().at("/messages/0/content").toString()).contains("ping");
  }

  @Test
  void geminiProviderGetsAGenerateContentCall() {
    assertOk(test("google", null), "google", "gemini-probe");
    RecordedRequest sent = gemini.takeRequest();
    assertThat(sent.path()).contains("gemini-probe:generateContent");
    assertThat(sent.header("x-goog-api-key")).isEqualTo(GEMINI_KEY);
    assertThat(sent.json().at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(1);
    assertThat(sent.json().at("/contents/0/parts/0/text").asText()).isEqualTo("ping");
  }

  @Test
  void theBodyNamesTheModelToTest() {
    assertOk(test("bare", "{\"model\":\"named-model\"}"), "bare", "named-model");
    assertThat(openai.takeRequest().json().path("model").asText()).isEqualTo("named-model");
  }

  @Test
  void noModelToTestIsA400NamingModel() {
    HttpResponse<String> r = call("POST", "/admin/providers/bare/test", null, ADMIN);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/param").asText()).isEqualTo("model");
    assertThat(call("POST", "/admin/providers/bare/test", "{\"model\":3}", ADMIN).statusCode()).isEqualTo(400);
    assertThat(call("POST", "/admin/providers/bare/test", "{\"modle\":\"x\"}", ADMIN).statusCode()).isEqualTo(400);
    assertThat(openai.requestCount()).isZero();
  }

  @Test
  void refusedKeyIsNotOkWithItsStatusAndLeavesThePoolAlone() {
    openai.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + OAI_KEY
        + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
    JsonNode r = test("oai", null);
    assertThat(r.path("ok").asBoolean()).isFalse();
    assertThat(r.path("status").asInt()).isEqualTo(401);
    assertThat(r.path("key_index").asInt()).isZero();
    assertThat(r.path("error").asText()).contains("401");
    JsonNode keys = json(call("GET", "/admin/providers/oai", null, ADMIN)).path("keys");
    assertThat(keys.path(0).path("state").asText()).as("a test disables no key").isEqualTo("active");
    assertThat(keys.path(0).path("failures").asInt()).isZero();
  }

  @Test
  void serverErrorIsNotOkWithItsStatusAndSecretsMasked() {
    openai.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"broken; you sent " + OAI_KEY + " and "
        + HEADER_SECRET + "\"}}"));
    call("PUT", "/admin/providers/bare", "{\"type\":\"openai\",\"base_url\":\"" + openai.baseUrl()
        + "\",\"options\":{\"header.X-Secret\":\"" + HEADER_SECRET + "\"}}", ADMIN);
    JsonNode r = test("bare", "{\"model\":\"m\"}");
    assertThat(r.path("ok").asBoolean()).isFalse();
    assertThat(r.path("status").asInt()).isEqualTo(500);
    assertThat(r.path("error").asText()).contains("500").contains("broken").contains("hea…0001");
    assertThat(openai.takeRequest().header("x-secret")).isEqualTo(HEADER_SECRET);
  }

  @Test
  void refusedConnectionIsNotOkWithoutStatus() {
    JsonNode r = test("gone", null);
    assertThat(r.path("ok").asBoolean()).isFalse();
    assertThat(r.path("status").isNull()).isTrue();
    assertThat(r.path("model").asText()).isEqualTo("gone-probe");
    assertThat(r.path("error").asText()).contains("refused the connection");
  }

  @Test
  void aSilentUpstreamIsCutAtTheProvidersOwnLimit() {
    call("PUT", "/admin/providers/bare", "{\"type\":\"openai\",\"base_url\":\"" + openai.baseUrl()
        + "\",\"options\":{\"total_timeout\":\"1\"}}", ADMIN);
    openai.enqueue(FakeResponse.hang());
    JsonNode r = test("bare", "{\"model\":\"m\"}");
    assertThat(r.path("ok").asBoolean()).isFalse();
    assertThat(r.path("status").isNull()).isTrue();
    assertThat(r.path("latency_ms").asLong()).isBetween(900L, 5_000L);
  }

  @Test
  void unknownProviderIs404LikeGet() {
    HttpResponse<String> r = call("POST", "/admin/providers/nope/test", null, ADMIN);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(call("GET", "/admin/providers/nope", null, ADMIN).body()).isEqualTo(r.body());
  }

  @Test
  void theAliasServesItToo() {
    assertOk(json(call("POST", "/api/v1/admin/providers/oai/test", null, ADMIN)), "oai", "gpt-probe");
  }

  @Test
  void onlyTheAdminKeyMayTest() {
    assertThat(call("POST", "/admin/providers/oai/test", null, CLIENT).statusCode()).isEqualTo(403);
    assertThat(call("POST", "/admin/providers/oai/test", null, "wrong-admin-key").statusCode()).isEqualTo(401);
    assertThat(Http.post(server.baseUrl() + "/admin/providers/oai/test", "").statusCode()).isEqualTo(401);
    assertThat(openai.requestCount()).isZero();
  }

  private static void assertOk(JsonNode r, String provider, String model) {
    assertThat(r.path("object").asText()).isEqualTo("provider.test");
    assertThat(r.path("provider").asText()).isEqualTo(provider);
    assertThat(r.path("model").asText()).isEqualTo(model);
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.path("status").asInt()).isEqualTo(200);
    assertThat(r.path("latency_ms").isIntegralNumber()).isTrue();
    assertThat(r.path("key_index").asInt()).isZero();
    assertThat(r.path("error").isNull()).isTrue();
  }

  /** A test's answer, which is a 200 whatever the upstream did. */
  private static JsonNode test(String provider, String body) {
    HttpResponse<String> r = call("POST", "/admin/providers/" + provider + "/test", body, ADMIN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  private static HttpResponse<String> call(String method, String path, String body, String key) {
    HttpRequest.Builder b = Http.builder(server.baseUrl() + path, "Authorization", bearer(key),
        "Content-Type", "application/json");
    HttpResponse<String> r = Http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build());
    for (String secret : SECRETS) {
      assertThat(r.body()).as("an admin answer holds a secret in full").doesNotContain(secret);
    }
    if (r.statusCode() >= 400) {
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    }
    return r;
  }

  /** A loopback port nothing listens on: connecting to it is refused. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
