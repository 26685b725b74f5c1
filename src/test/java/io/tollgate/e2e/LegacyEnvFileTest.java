package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.OpenApiSchemas;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The webapp started with nothing but an older key-pool proxy's .env file, named by TOLLGATE_ENV_FILE. */
class LegacyEnvFileTest {
  private static final String CLIENT_KEY = "sk-old-proxy-client";
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static List<CapturedLogs.Line> startLog;

  @BeforeAll
  static void start() throws IOException {
    upstream = FakeUpstream.start();
    Path envFile = Files.createTempFile("old-proxy", ".env");
    Files.writeString(envFile, """
        # .env of a deepseek2api-style proxy, as it was
        TYPE=custom
        BASE_URL=%s
        export TOKEN_POOL="sk-pool-1,
        sk-pool-2"
        AVAILABLE_MODELS='deepseek-chat,deepseek-reasoner'
        TIMEOUT=60
        MAX_RETRIES=1
        USE_DATABASE_AUTH=false
        API_KEYS=%s
        DATABASE_PATH=data/api_keys.db   # the old proxy's own; not used
        """.formatted(upstream.baseUrl(), CLIENT_KEY));
    try (CapturedLogs logs = CapturedLogs.attach(Logger.ROOT_LOGGER_NAME)) {
      server = GatewayServer.start(Map.of("TOLLGATE_ENV_FILE", envFile.toString()));
      startLog = logs.lines();
    }
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

  private static HttpResponse<String> chat(String model) {
    return post(server.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}",
        "Authorization", bearer(CLIENT_KEY));
  }

  @Test
  void aChatIsAnsweredAndEveryPooledKeyIsUsed() {
    Set<String> keysSent = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = chat("deepseek-chat");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");
      RecordedRequest sent = upstream.takeRequest();
      assertThat(sent.path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.json().path("model").asText()).isEqualTo("deepseek-chat");
      keysSent.add(sent.header("authorization"));
    }
    assertThat(keysSent).containsExactlyInAnyOrder(bearer("sk-pool-1"), bearer("sk-pool-2"));
  }

  @Test
  void aModelOutsideAvailableModelsIsA404WithoutAnUpstreamCall() {
    HttpResponse<String> r = chat("gpt-4o");
    assertThat(r.statusCode()).isEqualTo(404);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/code").asText()).isEqualTo("model_not_found");
    assertThat(json(r).at("/error/param").asText()).isEqualTo("model");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void theModelListIsAvailableModels() {
    HttpResponse<String> r = get(server.baseUrl() + "/v1/models", "Authorization", bearer(CLIENT_KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    json(r).path("data").forEach(m -> ids.add(m.path("id").asText()));
    assertThat(ids).containsExactly("deepseek-chat", "deepseek-reasoner");
    assertThat(get(server.baseUrl() + "/v1/models/gpt-4o", "Authorization", bearer(CLIENT_KEY)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void noValueOfTheFileIsLoggedAtStartUp() {
    assertThat(startLog).extracting(CapturedLogs.Line::text)
        .anySatisfy(line -> assertThat(line).contains("not used: DATABASE_PATH"))
        .allSatisfy(line -> assertThat(line).doesNotContain("sk-pool-1", "sk-pool-2", CLIENT_KEY,
            upstream.baseUrl(), "data/api_keys.db"));
  }

  @Test
  void onlyTheFilesClientKeyIsLetIn() {
    assertThat(post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"deepseek-chat\",\"messages\":[]}",
        "Authorization", bearer("sk-pool-1")).statusCode()).isEqualTo(401);
    assertThat(upstream.requestCount()).isZero();
  }
}
