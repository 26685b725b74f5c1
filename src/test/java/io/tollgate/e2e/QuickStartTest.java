package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig;
import io.tollgate.config.Secret;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The single-upstream quick start: UPSTREAM_BASE_URL and a key, every upstream model, client keys from API_KEYS. */
class QuickStartTest {
  private static final String UPSTREAM_KEY = "sk-quick-upstream-key";
  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    upstream = FakeUpstream.start();
    server = GatewayServer.start(Map.of("UPSTREAM_BASE_URL", upstream.baseUrl(), "UPSTREAM_API_KEY", UPSTREAM_KEY,
        "API_KEYS", "[\"sk-a\",\"sk-b\"]"));
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

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  @Test
  void anyModelNameGoesUpstreamUnchangedWithTheUpstreamKey() {
    for (String model : List.of("whatever-model-1", "org/Some-Model:latest")) {
      HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", chat(model),
          "Authorization", bearer("sk-a"));
      assertThat(r.statusCode()).as(model).isEqualTo(200);
      OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
      assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");
      RecordedRequest sent = upstream.takeRequest();
      assertThat(sent.path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.json().path("model").asText()).isEqualTo(model);
      assertThat(sent.header("authorization")).isEqualTo(bearer(UPSTREAM_KEY));
    }
  }

  @Test
  void streamedChatIsProxiedToo() {
    StreamedChat out = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"whatever-model-1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "Authorization", bearer("sk-b"));
    assertThat(out.text()).isEqualTo("Hello fake");
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.json().path("model").asText()).isEqualTo("whatever-model-1");
    assertThat(sent.header("authorization")).isEqualTo(bearer(UPSTREAM_KEY));
  }

  @Test
  void everyApiKeyIsAcceptedAndNoOtherKey() {
    String url = server.baseUrl() + "/v1/chat/completions";
    assertThat(post(url, chat("m"), "Authorization", bearer("sk-a")).statusCode()).isEqualTo(200);
    assertThat(post(url, chat("m"), "Authorization", bearer("sk-b")).statusCode()).isEqualTo(200);
    assertThat(upstream.requestCount()).isEqualTo(2);
    HttpResponse<String> other = post(url, chat("m"), "Authorization", bearer("sk-c"));
    assertThat(other.statusCode()).isEqualTo(401);
    OpenApiSchemas.load().assertValid("ErrorResponse", other.body());
    assertThat(post(url, chat("m")).statusCode()).isEqualTo(401);
    assertThat(post(url, chat("m"), "Authorization", bearer(UPSTREAM_KEY)).statusCode())
        .as("the upstream key is not a client key").isEqualTo(401);
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void apiKeysMeanNoDemoKeyIsMade() {
    assertThat(server.home().resolve("demo-client-key")).doesNotExist();
  }

  @Test
  void modelsAreTheUpstreamsModels() {
    HttpResponse<String> r = get(server.baseUrl() + "/v1/models", "Authorization", bearer("sk-a"));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("ListModelsResponse", r.body());
    List<String> ids = new ArrayList<>();
    json(r).path("data").forEach(m -> ids.add(m.path("id").asText()));
    assertThat(ids).contains("fake-model", "fake-model-2");
    HttpResponse<String> one = get(server.baseUrl() + "/v1/models/fake-model-2", "Authorization", bearer("sk-a"));
    assertThat(one.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("Model", one.body());
    assertThat(get(server.baseUrl() + "/v1/models", "Authorization", bearer("sk-c")).statusCode()).isEqualTo(401);
  }

  @Test
  void staticApiKeyIsAnAliasAndApiKeysMayBeCommaSeparated() {
    try (FakeUpstream own = FakeUpstream.start();
        GatewayServer fresh = GatewayServer.start(Map.of("UPSTREAM_BASE_URL", own.baseUrl() + "/",
            "STATIC_API_KEY", "sk-static-alias", "API_KEYS", " sk-c , sk-d,"))) {
      // A fresh server: the shared one may answer the model list from its cache without asking the upstream.
      HttpResponse<String> models = get(fresh.baseUrl() + "/v1/models", "X-API-Key", "sk-c");
      assertThat(models.statusCode()).isEqualTo(200);
      assertThat(models.body()).contains("fake-model-2");
      RecordedRequest listed = own.takeRequest();
      assertThat(listed.method() + " " + listed.path()).isEqualTo("GET /v1/models");
      assertThat(listed.header("authorization")).isEqualTo(bearer("sk-static-alias"));

      HttpResponse<String> r = post(fresh.baseUrl() + "/v1/chat/completions", chat("whatever-model-1"),
          "Authorization", bearer("sk-d"));
      assertThat(r.statusCode()).isEqualTo(200);
      RecordedRequest sent = own.takeRequest();
      assertThat(sent.path()).as("a trailing slash on UPSTREAM_BASE_URL").isEqualTo("/v1/chat/completions");
      assertThat(sent.header("authorization")).isEqualTo(bearer("sk-static-alias"));
      assertThat(post(fresh.baseUrl() + "/v1/chat/completions", chat("m"), "Authorization", bearer("sk-a"))
          .statusCode()).isEqualTo(401);
      assertThat(Files.exists(fresh.home().resolve("demo-client-key"))).isFalse();
    }
  }

  @Test
  void upstreamApiKeyWinsOverItsAlias() {
    GatewayConfig config = GatewayConfig.from(Map.of("UPSTREAM_BASE_URL", "http://up/v1",
        "UPSTREAM_API_KEY", "sk-main", "STATIC_API_KEY", "sk-alias"));
    assertThat(config.quickStart().apiKeys()).extracting(Secret::reveal).containsExactly("sk-main");
  }

  @Test
  void aRefusedUpstreamKeyNamesTheQuickStartProviderOnce() {
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", chat("any-model"),
        "Authorization", bearer("sk-a"));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(json(r).at("/error/message").asText())
        .isEqualTo("The upstream provider 'upstream' rejected the gateway's credential (HTTP 401).");
  }
}
