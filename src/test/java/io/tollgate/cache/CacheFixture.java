package io.tollgate.cache;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two gateway instances on one database in front of one fake upstream that speaks OpenAI and (when told) Anthropic.
 * Instance {@code a} imports the configuration; {@code b} reads it from the database. The change poll is short, so
 * the shared tier's hashes cross between instances within a few seconds.
 */
abstract class CacheFixture {
  static final String KEY = "sk-tollgate-cache-one";
  static final String OTHER_KEY = "sk-tollgate-cache-two";
  static final String ALL_KEY = "sk-tollgate-cache-all";
  static final String LIMITED_KEY = "sk-tollgate-cache-limited";
  static final String ADMIN = "admin-key-for-cache-tests";
  static TestDatabase db;
  static FakeUpstream upstream;
  static GatewayServer a;
  static GatewayServer b;
  static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws Exception {
    db = TestDatabase.create();
    upstream = FakeUpstream.start();
    String root = "http://127.0.0.1:" + upstream.port();
    Path yaml = Files.createTempFile("tollgate-cache", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: main
            type: openai
            base_url: %1$s/v1
            api_key: sk-upstream
          - name: claude
            type: anthropic
            base_url: %1$s
            api_key: sk-ant-upstream
        models:
          - name: chat-model
            targets: [{provider: main, model: upstream-chat}]
          - name: embedder
            targets: [{provider: main, model: upstream-embedder}]
          - name: claude-native
            targets: [{provider: claude, model: claude-upstream}]
        clients:
          - name: cache-one
            key: %2$s
          - name: cache-two
            key: %3$s
          - name: cache-all
            key: %4$s
            cache_mode: all
          - name: cache-limited
            key: %5$s
            tpm: 1000000
        """.formatted(root, KEY, OTHER_KEY, ALL_KEY, LIMITED_KEY));
    Map<String, String> settings = Map.of("TOLLGATE_ADMIN_KEY", ADMIN, "RETRY_TIMES", "0", "READ_TIMEOUT", "5", "CHANGE_POLL_INTERVAL", "1");
    a = GatewayServer.startOn(db, with(settings, "TOLLGATE_CONFIG", yaml.toString()));
    b = GatewayServer.startOn(db, settings);
    rows = new RequestLogRows(db);
  }

  @AfterAll
  static void stopAll() {
    b.close();
    a.close();
    upstream.close();
    db.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.reset();
  }

  private static Map<String, String> with(Map<String, String> settings, String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put(name, value);
    return all;
  }

  /** A deterministic chat request whose content is unique to the test, so tests do not hit each other's answers. */
  static String chat(String content) {
    return "{\"model\":\"chat-model\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"" + content
        + "\"}]}";
  }

  static HttpResponse<String> post(GatewayServer server, String path, String key, String requestId, String body,
      String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", bearer(key), "X-Request-Id", requestId,
        "anthropic-version", "2023-06-01"));
    all.addAll(List.of(headers));
    return Http.post(server.baseUrl() + path, body, all.toArray(String[]::new));
  }

  static HttpResponse<String> chatOn(GatewayServer server, String requestId, String body, String... headers) {
    HttpResponse<String> r = post(server, "/v1/chat/completions", KEY, requestId, body, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  static String cacheHeader(HttpResponse<?> r) {
    return r.headers().firstValue("x-tollgate-cache").orElse(null);
  }

  static Map<String, Object> row(String requestId) {
    return rows.await(requestId, Duration.ofSeconds(10));
  }

  static HttpRequest streamRequest(GatewayServer server, String path, String requestId, String body) {
    return Http.builder(server.baseUrl() + path, "Authorization", bearer(KEY), "Content-Type", "application/json",
        "X-Request-Id", requestId, "anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
