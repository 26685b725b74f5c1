package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LOG_BODIES=true: each request's body and what its reply sent, cut to LOG_BODY_MAX_BYTES, at /admin/logs/{id}. */
class LogBodiesTest {
  private static final String ADMIN = "admin-key-for-body-tests";
  private static final String KEY = "sk-tollgate-bodies-000000001";
  private static final int MAX = 300;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    Path yaml = Files.createTempFile("tollgate-bodies", ".yaml");
    Files.writeString(yaml, """
        providers: [{name: demo, type: echo}]
        models: [{name: echo, targets: [{provider: demo, model: echo}]}]
        clients: [{name: bodies, key: %s}]
        """.formatted(KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "LOG_BODIES", "true", "LOG_BODY_MAX_BYTES", String.valueOf(MAX)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWholeAnswerIsKeptWithItsRequestCutOnACharacterBoundary() {
    String text = "héllo wörld ".repeat(40); // two-byte characters, well over the limit
    HttpResponse<String> r = chat("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text
        + "\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    JsonNode logged = awaitLogged(r);
    String request = logged.path("request_body").asText();
    assertThat(request).startsWith("{\"model\":\"echo\"").doesNotContain("\uFFFD").doesNotContain(KEY);
    assertThat(request.getBytes(StandardCharsets.UTF_8).length).isBetween(MAX - 1, MAX);
    String response = logged.path("response_body").asText();
    assertThat(response).contains("chat.completion");
    assertThat(response.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX);
    assertThat(logged.path("status").asInt()).isEqualTo(200);
  }

  @Test
  void aStreamIsKeptAsTheEventsItSent() {
    HttpResponse<String> r = chat("{\"model\":\"echo\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    String response = awaitLogged(r).path("response_body").asText();
    assertThat(response).startsWith("data: {").contains("chat.completion.chunk");
  }

  @Test
  void anAnthropicStreamIsKeptWithItsEventNames() {
    HttpResponse<String> r = Http.post(server.baseUrl() + "/v1/messages", "{\"model\":\"echo\",\"max_tokens\":20,"
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", KEY,
        "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    JsonNode logged = awaitLogged(r);
    assertThat(logged.path("path").asText()).isEqualTo("/v1/messages");
    assertThat(logged.path("request_body").asText()).contains("\"max_tokens\":20");
    assertThat(logged.path("response_body").asText()).startsWith("event: message_start\ndata: {");
  }

  @Test
  void bodiesAreForTheAdminKeyOnly() {
    HttpResponse<String> r = chat("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    awaitLogged(r);
    HttpResponse<String> asClient = Http.get(server.baseUrl() + "/admin/logs/" + id, "Authorization", bearer(KEY));
    assertThat(asClient.statusCode()).isEqualTo(403);
    assertThat(asClient.body()).doesNotContain("request_body");
  }

  private static HttpResponse<String> chat(String body) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", body, "Authorization", bearer(KEY));
  }

  /** The logged request, once the batched writer has written it (at most ten seconds). */
  private static JsonNode awaitLogged(HttpResponse<String> r) {
    String url = server.baseUrl() + "/admin/logs/" + r.headers().firstValue("X-Request-Id").orElseThrow();
    long deadline = System.nanoTime() + 10_000_000_000L;
    HttpResponse<String> logged = Http.get(url, "Authorization", bearer(ADMIN));
    while (logged.statusCode() == 404 && System.nanoTime() < deadline) {
      pause();
      logged = Http.get(url, "Authorization", bearer(ADMIN));
    }
    assertThat(logged.statusCode()).as(logged.body()).isEqualTo(200);
    return Http.json(logged);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
