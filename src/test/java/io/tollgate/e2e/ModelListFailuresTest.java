package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model list that could not ask its providers says so: a 502 naming them and why when nothing else is known, a
 * warning header beside what is known otherwise; never an empty 200 that reads as "no models".
 */
class ModelListFailuresTest {
  private static final String CLIENT = "sk-tollgate-model-list-client";
  private static final String ADMIN = "admin-key-for-model-list-tests";
  private static final String LOCKED_KEY = "sk-locked-upstream-key-0001";
  private static FakeUpstream locked;
  private static FakeUpstream open;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    locked = FakeUpstream.start();
    open = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: locked
            type: openai
            base_url: %s
            api_key: %s
          - name: down
            type: openai
            base_url: http://127.0.0.1:9/v1
        models:
          - name: locked-*
            targets: [{provider: locked}]
          - name: down-*
            targets: [{provider: down}]
        clients:
          - name: model-list-tests
            key: %s
        """.formatted(locked.baseUrl(), LOCKED_KEY, CLIENT));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "CONNECT_TIMEOUT", "2", "READ_TIMEOUT", "5"));
  }

  @AfterAll
  static void stop() {
    server.close();
    locked.close();
    open.close();
  }

  @BeforeEach
  void lockedRefusesTheGatewaysKey() {
    locked.reset();
    for (int i = 0; i < 5; i++) {
      locked.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + LOCKED_KEY
          + "\"}}"));
    }
  }

  @Test
  void whenNoProviderCanListAndTheTableNamesNoModelTheAnswerIsA502SayingWhy() {
    HttpResponse<String> r = models();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/type").asText()).isEqualTo("upstream_error");
    assertThat(json(r).at("/error/message").asText())
        .startsWith("No models can be listed")
        .contains("The upstream provider 'locked' rejected the gateway's credential (HTTP 401).")
        .contains("The upstream provider 'down' refused the connection.");
    assertThat(r.body()).doesNotContain(LOCKED_KEY).doesNotContain("127.0.0.1");
    assertThat(locked.requestCount()).isPositive();
  }

  @Test
  void whenSomeProvidersCannotListTheAnswerHasWhatIsKnownAndAWarningNamingThem() {
    assertThat(admin("POST", "/admin/providers", "{\"name\":\"good\",\"type\":\"openai\",\"base_url\":\""
        + open.baseUrl() + "\"}").statusCode()).isEqualTo(201);
    assertThat(admin("POST", "/admin/models", "{\"name\":\"fake-*\",\"targets\":[{\"provider\":\"good\"}]}")
        .statusCode()).isEqualTo(201);
    try {
      HttpResponse<String> r = models();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      OpenApiSchemas.load().assertValid("ListModelsResponse", r.body());
      assertThat(json(r).findValuesAsText("id")).containsExactlyInAnyOrder("fake-model", "fake-model-2");
      assertThat(r.headers().firstValue("X-Tollgate-Warning")).hasValueSatisfying(warning -> assertThat(warning)
          .contains("'locked' (credential rejected)").contains("'down' (unreachable)").doesNotContain("good")
          .doesNotContain(LOCKED_KEY));
    } finally {
      admin("DELETE", "/admin/models/fake-*", null);
      admin("DELETE", "/admin/providers/good", null);
    }
  }

  private static HttpResponse<String> models() {
    return Http.get(server.baseUrl() + "/v1/models", "Authorization", bearer(CLIENT));
  }

  private static HttpResponse<String> admin(String method, String path, String body) {
    return Http.send(Http.builder(server.baseUrl() + path, "Authorization", bearer(ADMIN),
        "Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
