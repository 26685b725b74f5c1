package io.tollgate.session;

import static io.tollgate.testing.Http.bearer;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A gateway before one fake upstream that speaks OpenAI (model gpt-s) and Anthropic (claude-s), with two client keys
 * from the config file (A and B), a key from API_KEYS (which has no id) and an admin key. Sessions keep at most
 * {@value #MAX_TURNS} turns and {@value #MAX_TOKENS} tokens.
 */
abstract class SessionsFixture {
  static final String KEY_A = "sk-tollgate-sessions-a";
  static final String KEY_B = "sk-tollgate-sessions-b";
  static final String ENV_KEY = "sk-tollgate-sessions-env";
  static final String ADMIN = "sk-admin-sessions";
  static final int MAX_TURNS = 3;
  static final int MAX_TOKENS = 300;
  static FakeUpstream upstream;
  static GatewayServer server;

  @BeforeAll
  static void startAll() throws IOException {
    upstream = FakeUpstream.start();
    String root = "http://127.0.0.1:" + upstream.port();
    Path yaml = Files.createTempFile("tollgate-sessions", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: oai, type: openai, base_url: "%1$s/v1", api_key: sk-openai-upstream}
          - {name: claude, type: anthropic, base_url: "%1$s", api_key: sk-ant-upstream}
        models:
          - {name: gpt-s, targets: [{provider: oai, model: gpt-4o-upstream}]}
          - {name: claude-s, targets: [{provider: claude, model: claude-upstream}]}
        clients: [{name: sessions-a, key: %2$s}, {name: sessions-b, key: %3$s}]
        """.formatted(root, KEY_A, KEY_B));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "API_KEYS", ENV_KEY,
        "TOLLGATE_ADMIN_KEY", ADMIN, "RETRY_TIMES", "0", "READ_TIMEOUT", "5",
        "SESSION_MAX_TURNS", String.valueOf(MAX_TURNS), "SESSION_MAX_TOKENS", String.valueOf(MAX_TOKENS)));
  }

  @AfterAll
  static void stopAll() {
    try (FakeUpstream closedLast = upstream; GatewayServer closedFirst = server) {
      // both closed, the gateway first
    }
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.reset();
  }

  static HttpResponse<String> chat(String key, String session, String body) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", body, "Authorization", bearer(key),
        "X-Session-Id", session);
  }

  static HttpResponse<String> messages(String key, String session, String body) {
    return Http.post(server.baseUrl() + "/v1/messages", body, "x-api-key", key, "anthropic-version", "2023-06-01",
        "X-Session-Id", session);
  }

  static HttpResponse<String> read(String key, String path) {
    return Http.get(server.baseUrl() + path, "Authorization", bearer(key));
  }

  /** The messages the upstream got in its next request. */
  static JsonNode sentMessages() {
    return upstream.takeRequest().json().path("messages");
  }

  static JsonNode session(String key, String id) {
    HttpResponse<String> r = read(key, "/v1/sessions/" + id);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET session " + id + ": " + r.statusCode() + " " + r.body());
    }
    return Http.json(r);
  }

  static JsonNode tree(String json) {
    try {
      return Http.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data payloads of a whole SSE body. */
  static List<String> data(String sse) {
    List<String> data = new ArrayList<>();
    sse.lines().filter(l -> l.startsWith("data: ")).forEach(l -> data.add(l.substring(6)));
    return data;
  }

  /** A recorded Anthropic stream's whole events, as FakeResponse.rawEvents sends them. */
  static List<String> anthropicEvents(String file) {
    return Arrays.stream(fixture("anthropic/streams/" + file).split("\n\n")).map(String::strip)
        .filter(e -> !e.isEmpty()).toList();
  }

  static String fixture(String path) {
    try (InputStream in = SessionsFixture.class.getResourceAsStream("/fixtures/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
