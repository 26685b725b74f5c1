package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeUpstream;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single-model mode: with ACTUAL_NAME every requested name is served by one model, and logged as asked. */
class ActualNameTest {
  private static final String KEY = "sk-tollgate-actual-name-test";
  private static FakeUpstream upstream;
  private static GatewayServer table;
  private static GatewayServer quickStart;

  @BeforeAll
  static void start() throws IOException {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: main
            type: openai
            base_url: %s
        models:
          - name: the-one
            max_tokens: 50
            targets: [{provider: main, model: served-upstream}]
          - name: other
            targets: [{provider: main, model: never-used}]
        """.formatted(upstream.baseUrl()));
    table = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "ACTUAL_NAME", "the-one",
        "API_KEYS", KEY));
    quickStart = GatewayServer.start(Map.of("UPSTREAM_BASE_URL", upstream.baseUrl(), "ACTUAL_NAME", "qwen2.5:7b",
        "API_KEYS", KEY));
  }

  @AfterAll
  static void stop() {
    table.close();
    quickStart.close();
    upstream.close();
  }

  private static HttpResponse<String> chat(GatewayServer server, String model, String requestId) {
    return post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"max_tokens\":4000,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}",
        "Authorization", bearer(KEY), "X-Request-Id", requestId);
  }

  @Test
  void everyNameIsServedByTheConfiguredModelWithItsCapabilities() {
    upstream.reset();
    List<String> asked = List.of("gpt-4o", "claude-3-5-sonnet", "other", "the-one");
    for (String model : asked) {
      HttpResponse<String> r = chat(table, model, "req-actual-" + model);
      assertThat(r.statusCode()).as(model).isEqualTo(200);
      OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
      var sent = upstream.takeRequest().json();
      assertThat(sent.path("model").asText()).isEqualTo("served-upstream");
      assertThat(sent.path("max_tokens").asInt()).isEqualTo(50);
    }
    RequestLogRows rows = new RequestLogRows(table.database());
    for (String model : asked) {
      assertThat(rows.await("req-actual-" + model, Duration.ofSeconds(10))).containsEntry("model", model)
          .containsEntry("upstream_model", "served-upstream");
    }
    HttpResponse<String> one = get(table.baseUrl() + "/v1/models/anything-at-all", "Authorization", bearer(KEY));
    assertThat(one.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("Model", one.body());
  }

  @Test
  void withTheQuickStartTheUpstreamGetsThatModelName() {
    upstream.reset();
    HttpResponse<String> r = chat(quickStart, "gpt-4o-mini", "req-actual-quick");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().path("model").asText()).isEqualTo("qwen2.5:7b");
    assertThat(new RequestLogRows(quickStart.database()).await("req-actual-quick", Duration.ofSeconds(10)))
        .containsEntry("model", "gpt-4o-mini").containsEntry("upstream_model", "qwen2.5:7b");
    StreamedChat streamed = StreamedChat.post(quickStart.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"whatever\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "Authorization", bearer(KEY));
    assertThat(streamed.text()).isEqualTo("Hello fake");
    assertThat(upstream.takeRequest().json().path("model").asText()).isEqualTo("qwen2.5:7b");
    assertThat(json(get(quickStart.baseUrl() + "/v1/models", "Authorization", bearer(KEY))).findValuesAsText("id"))
        .contains("fake-model", "fake-model-2");
  }
}
