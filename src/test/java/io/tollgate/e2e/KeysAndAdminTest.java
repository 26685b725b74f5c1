package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.PrometheusText;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeysAndAdminTest {
  private static final String KEY = "sk-tollgate-example-1";
  private static final String ADMIN = "admin-secret-for-tests";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}";
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    String yaml = BootstrapFiles.echoWithClient("ci", KEY);
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml, "TOLLGATE_ADMIN_KEY", ADMIN,
        "KEY_CACHE_TTL", "1"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void rootAndHealthNeedNoKey() {
    HttpResponse<String> root = get(server.baseUrl() + "/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(json(root).path("name").asText()).isEqualTo("Tollgate");
    assertThat(json(root).path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(json(root).path("endpoints").toString()).contains("POST /v1/chat/completions");
    HttpResponse<String> health = get(server.baseUrl() + "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("status").asText()).isEqualTo("ok");
  }

  @Test
  void metricsCountWrittenRowsAndDropsWithoutAKey() throws InterruptedException {
    long before = metric("tollgate_request_log_written_total");
    assertThat(post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(KEY)).statusCode())
        .isEqualTo(200);
    long deadline = System.nanoTime() + 5_000_000_000L; // rows are written up to one linger after the response
    while ((metric("tollgate_request_log_written_total") <= before || metric("tollgate_request_log_pending") > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(metric("tollgate_request_log_pending")).as("every accepted row written").isZero();
    assertThat(metric("tollgate_request_log_written_total")).isGreaterThan(before);
    assertThat(metric("tollgate_request_log_dropped_total")).isZero();
    assertThat(metric("tollgate_access_log_dropped_total")).isZero();
    JsonNode log = json(get(server.baseUrl() + "/healthz")).path("request_log");
    assertThat(log.path("access_lines_dropped").isIntegralNumber()).isTrue();
    assertThat(log.path("written").asLong()).isGreaterThan(before);
  }

  /** One sample of /metrics in Prometheus' text format. */
  private static long metric(String name) {
    return (long) PrometheusText.scrape(server.baseUrl()).value(name);
  }

  @Test
  void missingKeyIs401InOpenAiShape() {
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", CHAT);
    assertThat(r.statusCode()).isEqualTo(401);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).path("error").path("code").asText()).isEqualTo("missing_api_key");
  }

  @Test
  void unknownKeyIs401AndIsNotEchoed() {
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", CHAT,
        "Authorization", bearer("sk-not-a-real-key-123"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).path("error").path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(r.body()).doesNotContain("sk-not-a-real-key-123");
  }

  @Test
  void keyIsAcceptedInEveryDocumentedPlace() {
    String url = server.baseUrl() + "/v1/models";
    assertThat(get(url, "Authorization", bearer(KEY)).statusCode()).isEqualTo(200);
    assertThat(get(url, "Authorization", KEY).statusCode()).isEqualTo(200);
    assertThat(get(url, "X-API-Key", KEY).statusCode()).isEqualTo(200);
    assertThat(get(url, "api-key", KEY).statusCode()).isEqualTo(200);
    assertThat(get(url + "?api_key=" + KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void echoAnswersOnEveryPathVariant() {
    for (String path : new String[] {"/v1/chat/completions", "/chat/completions", "/api/v1/chat/completions"}) {
      HttpResponse<String> r = post(server.baseUrl() + path, CHAT, "Authorization", bearer(KEY));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
      assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("hi there");
    }
    for (String path : new String[] {"/v1/models", "/models", "/api/v1/models"}) {
      HttpResponse<String> r = get(server.baseUrl() + path, "Authorization", bearer(KEY));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      OpenApiSchemas.load().assertValid("ListModelsResponse", r.body());
    }
    HttpResponse<String> one = get(server.baseUrl() + "/v1/models/echo", "Authorization", bearer(KEY));
    OpenApiSchemas.load().assertValid("Model", one.body());
    assertThat(get(server.baseUrl() + "/v1/models/nope", "Authorization", bearer(KEY)).statusCode()).isEqualTo(404);
  }

  @Test
  void adminCreatesListsAndRevokesKeys() throws Exception {
    HttpResponse<String> created = post(server.baseUrl() + "/admin/keys", "{\"name\":\"team-a\"}",
        "Authorization", bearer(ADMIN));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode key = json(created);
    String plaintext = key.path("key").asText();
    assertThat(plaintext).startsWith("sk-tg-");
    assertThat(post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(plaintext))
        .statusCode()).isEqualTo(200);

    HttpResponse<String> listed = get(server.baseUrl() + "/admin/keys", "X-API-Key", ADMIN);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("team-a").doesNotContain(plaintext).doesNotContain(KEY)
        .doesNotContain(io.tollgate.auth.KeyHashing.sha256Hex(plaintext));

    HttpResponse<String> revoked = Http.delete(server.baseUrl() + "/admin/keys/" + key.path("id").asLong(),
        "Authorization", bearer(ADMIN));
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(plaintext))
        .statusCode()).isEqualTo(401);
    assertThat(Http.delete(server.baseUrl() + "/admin/keys/" + key.path("id").asLong(),
        "Authorization", bearer(ADMIN)).statusCode()).isEqualTo(404);
  }

  @Test
  void clientKeysCannotUseAdmin() {
    HttpResponse<String> r = get(server.baseUrl() + "/admin/keys", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(403);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(get(server.baseUrl() + "/admin/keys").statusCode()).isEqualTo(401);
    assertThat(get(server.baseUrl() + "/admin/keys", "Authorization", bearer("wrong")).statusCode()).isEqualTo(401);
  }

  @Test
  void unknownPathIsA404InOpenAiShape() {
    HttpResponse<String> r = get(server.baseUrl() + "/v1/nothing-here", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(404);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
  }

  @Test
  void corsPreflightIsAnsweredWithoutAKey() {
    HttpResponse<String> r = Http.send(Http.builder(server.baseUrl() + "/v1/chat/completions",
        "Origin", "https://app.example", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization, content-type")
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization")
        .contains("X-Session-Id");
    HttpResponse<String> chat = post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(KEY),
        "Origin", "https://app.example");
    assertThat(chat.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
  }

  @Test
  void otherMethodsOnTheProxyPathsGetAJson405() {
    HttpResponse<String> r = get(server.baseUrl() + "/v1/chat/completions", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(405);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    HttpResponse<String> put = Http.send(Http.builder(server.baseUrl() + "/v1/embeddings", "Authorization",
        bearer(KEY)).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(put.statusCode()).isEqualTo(405);
    OpenApiSchemas.load().assertValid("ErrorResponse", put.body());
  }
}
