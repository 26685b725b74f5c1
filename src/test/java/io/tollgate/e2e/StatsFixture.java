package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.testing.RequestLogRows;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A gateway on PostgreSQL with two client keys (alpha, beta), the echo model and "fake-model" on a fake OpenAI
 * upstream, for checking /admin/stats and /admin/logs against requests the test makes and rows it inserts.
 */
abstract class StatsFixture {
  static final String ADMIN = "admin-key-for-stats-tests";
  static final String KEY_A = "sk-tollgate-stats-alpha-000001";
  static final String KEY_B = "sk-tollgate-stats-beta-0000002";
  static FakeUpstream upstream;
  static GatewayServer server;
  static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate-stats", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: demo, type: echo}
          - {name: fake, type: openai, base_url: %s, api_keys: [sk-stats-upstream-000001]}
        models:
          - {name: echo, targets: [{provider: demo, model: echo}]}
          - {name: fake-model, targets: [{provider: fake, model: fake-upstream}]}
        clients:
          - {name: alpha, key: %s}
          - {name: beta, key: %s}
        """.formatted(upstream.baseUrl(), KEY_A, KEY_B));
    // Retention off: the tests insert rows from 2020, which a retention run would drop.
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "LOG_RETENTION_DAYS", "0"));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stopAll() {
    server.close();
    upstream.close();
  }

  static HttpResponse<String> chat(String key, String model) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"count these words please\"}]}", "Authorization",
        bearer(key));
  }

  /** A chat through fake-model that the upstream answers with these token counts. */
  static HttpResponse<String> upstreamChat(String key, int prompt, int completion) {
    upstream.enqueue(FakeResponse.json(200, """
        {"id":"chatcmpl-stats","object":"chat.completion","created":1,"model":"fake-upstream",
         "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}
        """.formatted(prompt, completion, prompt + completion)));
    return chat(key, "fake-model");
  }

  /** A chat through fake-model that the upstream refuses with a 400, which the client gets as it is. */
  static HttpResponse<String> upstreamRefusal(String key) {
    upstream.enqueue(FakeResponse.json(400, """
        {"error":{"message":"that will not do","type":"invalid_request_error","param":null,"code":null}}"""));
    return chat(key, "fake-model");
  }

  static HttpResponse<String> get(String pathAndQuery, String key) {
    HttpResponse<String> r = Http.get(server.baseUrl() + pathAndQuery, "Authorization", bearer(key));
    if (r.statusCode() >= 400) {
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    }
    return r;
  }

  /** An admin GET that must succeed. */
  static JsonNode admin(String pathAndQuery) {
    HttpResponse<String> r = get(pathAndQuery, ADMIN);
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(KEY_A).doesNotContain(KEY_B).doesNotContain(ADMIN);
    return Http.json(r);
  }

  /** The param a 400 names, after checking it is one. */
  static String badParam(String pathAndQuery) {
    HttpResponse<String> r = get(pathAndQuery, ADMIN);
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(400);
    return Http.json(r).path("error").path("param").asText();
  }

  static long keyId(String name) {
    for (JsonNode k : admin("/admin/keys").path("data")) {
      if (k.path("name").asText().equals(name)) {
        return k.path("id").asLong();
      }
    }
    throw new AssertionError("no key named " + name);
  }

  static String requestId(HttpResponse<String> r) {
    return r.headers().firstValue("X-Request-Id").orElseThrow();
  }

  /** Waits until the batched writer has written the row of every one of these requests. */
  static void awaitRows(List<HttpResponse<String>> responses) {
    assertThat(rows.missing(responses.stream().map(StatsFixture::requestId).toList(), Duration.ofSeconds(10)))
        .as("request-log rows not written").isEmpty();
  }

  static long insert(LogRowInserts.Row row) {
    try (Connection c = server.database().connect()) {
      return LogRowInserts.insert(c, row);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
