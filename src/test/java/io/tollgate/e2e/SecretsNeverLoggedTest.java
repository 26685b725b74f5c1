package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.auth.KeyHashing;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Keys in every place a client may put them, failures of every kind, streams and the admin API, all with the log
 * captured: no key, in plaintext or hashed, may appear in any line, and every request gets one access-log line.
 */
class SecretsNeverLoggedTest {
  private static final String UPSTREAM_KEY = "sk-upstream-SECRET-1";
  private static final String CLIENT_KEY = "sk-client-SECRET-2";
  private static final String ADMIN_KEY = "admin-SECRET-3";
  private static final String WRONG_KEY = "sk-wrong-SECRET-4";
  private static final String ACCESS = "tollgate.access";

  /** One request of the exercise: what it should answer and what it did. */
  private record Sent(String id, String what, int expected, int status, String body) {
  }

  private static final List<Sent> sent = new ArrayList<>();
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static CapturedLogs logs;
  private static String createdKey;
  private static String keyList;

  @BeforeAll
  static void exercise() throws Exception {
    assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ACCESS).isAdditive())
        .as("the access log is configured as in src/main/resources/logback.xml").isFalse();
    logs = CapturedLogs.attach(org.slf4j.Logger.ROOT_LOGGER_NAME, ACCESS);
    upstream = FakeUpstream.start();
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", bootstrapFile().toString(), "TOLLGATE_ADMIN_KEY", ADMIN_KEY,
        "CONNECT_TIMEOUT", "2", "READ_TIMEOUT", "5", "RETRY_TIMES", "0", "KEY_RECHECK_INTERVAL", "1ms"));
    keysInEveryPlace();
    failures();
    adminApi();
    awaitAccessLines();
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) {
        server.close();
      }
      if (upstream != null) {
        upstream.close();
      }
    } finally {
      if (logs != null) {
        logs.close();
      }
    }
  }

  private static Path bootstrapFile() throws IOException {
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: main
            type: openai
            base_url: %s
            api_keys: [%s]
          - name: nowhere
            type: openai
            base_url: http://127.0.0.1:%d/v1
            api_keys: [%s]
        models:
          - name: gpt-secret
            targets: [{provider: main, model: upstream-model}]
          - name: unreachable
            targets: [{provider: nowhere, model: x}]
        clients:
          - name: secret-tests
            key: %s
        """.formatted(upstream.baseUrl(), UPSTREAM_KEY, closedPort(), UPSTREAM_KEY, CLIENT_KEY));
    return yaml;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private static void keysInEveryPlace() {
    String chat = "/v1/chat/completions";
    post("bearer", 200, chat, chat("gpt-secret", false), "Authorization", bearer(CLIENT_KEY));
    post("x-api-key", 200, chat, chat("gpt-secret", false), "X-API-Key", CLIENT_KEY);
    post("api-key", 200, chat, chat("gpt-secret", false), "api-key", CLIENT_KEY);
    post("query", 200, chat + "?api_key=" + CLIENT_KEY, chat("gpt-secret", false));
    get("models by query", 200, "/v1/models?api_key=" + CLIENT_KEY);
    String id = "secrets-stream";
    StreamedChat out = StreamedChat.post(server.baseUrl() + chat, chat("gpt-secret", true),
        "Authorization", bearer(CLIENT_KEY), "X-Request-Id", id);
    sent.add(new Sent(id, "stream", 200, 200, String.join("\n", out.events().data())));
  }

  private static void failures() {
    String chat = "/v1/chat/completions";
    post("wrong key", 401, chat, chat("gpt-secret", false), "Authorization", bearer(WRONG_KEY));
    post("wrong key by query", 401, chat + "?api_key=" + WRONG_KEY, chat("gpt-secret", false));
    post("malformed JSON", 400, chat, "{\"model\":\"gpt-secret\",", "Authorization", bearer(CLIENT_KEY));
    // Some upstreams quote the key they refused in full; it must go no further.
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + UPSTREAM_KEY + ".\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
    post("upstream 401", 502, chat, chat("gpt-secret", false), "Authorization", bearer(CLIENT_KEY));
    // The refused key is due for its re-check KEY_RECHECK_INTERVAL (1 ms) after the 401; the next call can come
    // sooner than that on loopback, and would then find no key to use.
    pause(Duration.ofMillis(20));
    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"key " + UPSTREAM_KEY
        + " may not use this model\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
    post("upstream 400 quoting the key", 400, chat, chat("gpt-secret", false), "Authorization", bearer(CLIENT_KEY));
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":"
        + "\"server_error\",\"param\":null,\"code\":null}}"));
    post("upstream 500", 502, chat, chat("gpt-secret", false), "Authorization", bearer(CLIENT_KEY));
    post("upstream unreachable", 502, chat, chat("unreachable", false), "Authorization", bearer(CLIENT_KEY));
  }

  private static void adminApi() {
    Sent created = post("admin create", 201, "/admin/keys", "{\"name\":\"made-in-test\"}",
        "Authorization", bearer(ADMIN_KEY));
    createdKey = json(created.body()).path("key").asText();
    assertThat(createdKey).isNotBlank();
    post("created key", 200, "/v1/chat/completions", chat("gpt-secret", false), "api-key", createdKey);
    keyList = get("admin list", 200, "/admin/keys", "X-API-Key", ADMIN_KEY).body();
    get("admin list by query", 200, "/admin/keys?api_key=" + ADMIN_KEY);
    get("admin with a wrong key", 401, "/admin/keys", "Authorization", bearer(WRONG_KEY));
    get("admin with a client key", 403, "/admin/keys", "Authorization", bearer(CLIENT_KEY));
    String provider = "{\"name\":\"made\",\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\","
        + "\"api_key\":\"" + UPSTREAM_KEY + "\"}";
    post("admin create provider", 201, "/admin/providers", provider, "Authorization", bearer(ADMIN_KEY));
    post("admin duplicate provider", 409, "/admin/providers", provider, "Authorization", bearer(ADMIN_KEY));
    post("admin bad provider", 400, "/admin/providers", provider.replace("openai", "nope"),
        "Authorization", bearer(ADMIN_KEY));
    get("admin provider list", 200, "/admin/providers", "Authorization", bearer(ADMIN_KEY));
    get("admin one provider", 200, "/admin/providers/main", "Authorization", bearer(ADMIN_KEY));
  }

  private static Sent post(String what, int expected, String path, String body, String... headers) {
    return send(what, expected, path, b -> b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  private static Sent get(String what, int expected, String path, String... headers) {
    return send(what, expected, path, HttpRequest.Builder::GET, headers);
  }

  private static Sent send(String what, int expected, String path,
      Function<HttpRequest.Builder, HttpRequest.Builder> method, String... headers) {
    String id = "secrets-" + sent.size();
    HttpRequest.Builder b = Http.builder(server.baseUrl() + path, headers).header("X-Request-Id", id);
    HttpResponse<String> r = Http.send(method.apply(b).build());
    Sent s = new Sent(id, what, expected, r.statusCode(), r.body());
    sent.add(s);
    return s;
  }

  private static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  // Lines are written by the request-log writer's thread, up to one linger (50 ms) after each response completes,
  // and a stream's response completes just after the client read [DONE].
  private static void awaitAccessLines() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (accessLinesById().keySet().size() < sent.size() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static Map<String, List<JsonNode>> accessLinesById() {
    return logs.lines(ACCESS).stream().map(l -> json(l.message()))
        .collect(Collectors.groupingBy(n -> n.path("request_id").asText()));
  }

  @Test
  void everyRequestDidWhatItWasMeantTo() {
    assertThat(sent).allSatisfy(s -> assertThat(s.status()).as(s.what() + ": " + s.body()).isEqualTo(s.expected()));
  }

  @Test
  void noSecretAppearsInAnyLogLine() {
    List<CapturedLogs.Line> lines = logs.lines();
    assertThat(lines).as("the capture works")
        .anyMatch(l -> l.text().contains("Tollgate") && l.text().contains("started"));
    Map<String, String> secrets = new HashMap<>();
    for (String key : List.of(UPSTREAM_KEY, CLIENT_KEY, ADMIN_KEY, WRONG_KEY, createdKey)) {
      secrets.put(key, key);
      secrets.put(KeyHashing.sha256Hex(key), "the hash of " + key);
    }
    secrets.put("-SECRET-", "part of a key"); // not "SECRET" alone: the setting TOLLGATE_SECRET_KEY is named
    for (CapturedLogs.Line line : lines) {
      secrets.forEach((secret, what) -> assertThat(line.text()).as(what).doesNotContain(secret));
    }
  }

  @Test
  void noSecretReachesAClientInAnError() {
    for (Sent s : sent) {
      assertThat(s.body()).as(s.what()).doesNotContain(UPSTREAM_KEY).doesNotContain(CLIENT_KEY)
          .doesNotContain(ADMIN_KEY).doesNotContain(WRONG_KEY);
    }
  }

  @Test
  void everyRequestHasExactlyOneJsonAccessLine() {
    Map<String, List<JsonNode>> byId = accessLinesById();
    assertThat(logs.lines(ACCESS)).hasSizeGreaterThanOrEqualTo(sent.size());
    for (Sent s : sent) {
      assertThat(byId.get(s.id())).as(s.what()).hasSize(1);
      JsonNode line = byId.get(s.id()).get(0);
      assertThat(line.path("status").asInt()).as(s.what()).isEqualTo(s.status());
      assertThat(line.path("method").asText()).isIn("GET", "POST");
      assertThat(line.path("path").asText()).as("no query string").startsWith("/").doesNotContain("?");
    }
  }

  @Test
  void theKeyListShowsNoHashAndNoPlaintext() {
    assertThat(json(keyList).path("data").size()).isGreaterThanOrEqualTo(2);
    assertThat(keyList).contains("made-in-test").doesNotContainPattern("(?i)[0-9a-f]{64}")
        .doesNotContain(createdKey).doesNotContain(CLIENT_KEY).doesNotContain(ADMIN_KEY);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
