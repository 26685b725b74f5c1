package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A gateway with the admin API on, seeded with one provider ("seed", two upstream keys) and one model using it,
 * before a fake OpenAI upstream. Every admin answer is checked never to hold an upstream key in full.
 */
abstract class AdminFixture {
  static final String ADMIN = "admin-key-for-routing-tests";
  static final String CLIENT = "sk-tollgate-admin-routing-client";
  static final String SEED_KEY_1 = "sk-seed-upstream-key-000001";
  static final String SEED_KEY_2 = "sk-seed-upstream-key-000002";
  static final String NEW_KEY = "sk-brand-new-upstream-key-123456";
  static final List<String> FULL_KEYS = List.of(SEED_KEY_1, SEED_KEY_2, NEW_KEY);
  static FakeUpstream upstream;
  static GatewayServer server;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: seed
            type: openai
            base_url: %s
            api_keys: [%s, %s]
        models:
          - name: seed-model
            aliases: [seed-alias]
            targets: [{provider: seed, model: seed-upstream-model}]
        clients:
          - name: routing-admin-tests
            key: %s
        """.formatted(upstream.baseUrl(), SEED_KEY_1, SEED_KEY_2, CLIENT));
    // These tests make many refused calls from one address on purpose: the failed-key throttle is KeyGuessingTest's.
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "AUTH_FAILURE_LIMIT", "0"));
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

  /** An admin call with the admin key; a body of null sends none. Error answers must be OpenAI-shaped. */
  static HttpResponse<String> admin(String method, String path, String body) {
    return call(method, path, body, ADMIN);
  }

  static HttpResponse<String> call(String method, String path, String body, String key) {
    HttpRequest.Builder b = Http.builder(server.baseUrl() + path, "Authorization", bearer(key),
        "Content-Type", "application/json");
    HttpResponse<String> r = Http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build());
    for (String full : FULL_KEYS) {
      assertThat(r.body()).as("an admin answer holds an upstream key in full").doesNotContain(full);
    }
    if (r.statusCode() >= 400) {
      OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    }
    return r;
  }

  /** Both tables as the admin API lists them, to show a refused change changed nothing. */
  static String tables() {
    return admin("GET", "/admin/providers", null).body() + admin("GET", "/admin/models", null).body();
  }

  static HttpResponse<String> chat(String model) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", "Authorization", bearer(CLIENT));
  }

  static List<String> publicModels() {
    HttpResponse<String> r = Http.get(server.baseUrl() + "/v1/models", "Authorization", bearer(CLIENT));
    assertThat(r.statusCode()).isEqualTo(200);
    return Http.json(r).findValuesAsText("id");
  }
}
