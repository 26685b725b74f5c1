package io.tollgate.security;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.KeyHashing;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One run that uses every key form (client keys in each header and the query, the admin key, each provider type's
 * upstream key, a provider header holding a credential, a wrong key, keys in bad requests) with bodies logged, then
 * a search of everything the gateway lets out or keeps for each full secret: the log, every answer (errors
 * included, headers too), /metrics, /health, every admin listing and log detail, and every text column of every
 * table. The database may hold a client key's hash and display prefix, nothing else; nothing else may hold even the
 * hash. {@code e2e/SecretsNeverLoggedTest} checks the log lines themselves in more failure cases.
 */
class SecretsNowhereTest {
  private static final String CLIENT = "sk-client-NOWHERE-c1c1c1";
  private static final String ADMIN = "admin-NOWHERE-a2a2a2a2";
  private static final String WRONG = "sk-wrong-NOWHERE-w3w3w3";
  private static final String PASSPHRASE = "passphrase-NOWHERE-of-at-least-32-characters";
  private static final Map<String, String> UPSTREAM = Map.of("openai", "sk-openai-NOWHERE-o4o4o4o4",
      "azure", "azure-NOWHERE-z5z5z5z5", "anthropic", "sk-ant-NOWHERE-n6n6n6n6", "gemini", "AIza-NOWHERE-g7g7g7g7",
      "made", "sk-made-NOWHERE-m8m8m8m8", "header", "token-NOWHERE-h9h9h9h9");
  private static final String ANTHROPIC_ANSWER = """
      {"id":"msg_1","type":"message","role":"assistant","model":"claude-up","content":[{"type":"text",
       "text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":2}}""";
  private static final String GEMINI_ANSWER = """
      {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello!"}]},"finishReason":"STOP","index":0}],
       "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5}}""";

  /** Everything a client received: what it asked, the status, the headers and the body. */
  private record Answer(String what, int status, String text) {
  }

  private static final List<Answer> answers = new ArrayList<>();
  private static final List<String> requestIds = new ArrayList<>();
  private static FakeUpstream upstream;
  private static GatewayServer server;
  private static CapturedLogs logs;
  private static String createdKey;

  @BeforeAll
  static void run() throws Exception {
    logs = CapturedLogs.attach(org.slf4j.Logger.ROOT_LOGGER_NAME, "tollgate.access");
    upstream = FakeUpstream.start();
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", bootstrap().toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "TOLLGATE_SECRET_KEY", PASSPHRASE, "LOG_BODIES", "true", "CACHE_ENABLED", "true", "RETRY_TIMES", "0",
        "KEY_RECHECK_INTERVAL", "1ms"));
    clientKeysEverywhere();
    badRequests();
    adminWork();
    readEverything();
  }

  @AfterAll
  static void stop() {
    try {
      server.close();
      upstream.close();
    } finally {
      logs.close();
    }
  }

  private static Path bootstrap() throws IOException {
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    String root = "http://127.0.0.1:" + upstream.port();
    Files.writeString(yaml, """
        providers:
          - {name: oa, type: openai, base_url: %s, api_keys: [%s], options: {header.X-Upstream-Token: %s}}
          - {name: az, type: azure, base_url: %s, api_key: %s, api_version: 2025-01-01-preview}
          - {name: an, type: anthropic, base_url: %s, api_key: %s}
          - {name: ge, type: gemini, base_url: %s, api_key: %s}
        models:
          - {name: m-oa, targets: [{provider: oa, model: up}]}
          - {name: m-az, targets: [{provider: az, model: deployment}]}
          - {name: m-an, targets: [{provider: an, model: claude-up}]}
          - {name: m-ge, targets: [{provider: ge, model: gemini-up}]}
        clients:
          - {name: nowhere, key: %s}
        """.formatted(upstream.baseUrl(), UPSTREAM.get("openai"), UPSTREAM.get("header"), root,
        UPSTREAM.get("azure"), root, UPSTREAM.get("anthropic"), root, UPSTREAM.get("gemini"), CLIENT));
    return yaml;
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  /** Without temperature 0, so the cache (CACHE_MODE deterministic) neither answers nor keeps it. */
  private static String uncached(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"fail\"}]}";
  }

  private static void clientKeysEverywhere() {
    String chat = "/v1/chat/completions";
    post("bearer, openai", 200, chat, chat("m-oa"), "Authorization", bearer(CLIENT), "X-Session-Id", "s-nowhere");
    post("bearer again, cached", 200, chat, chat("m-oa"), "Authorization", bearer(CLIENT));
    post("x-api-key, azure", 200, chat, chat("m-az"), "X-API-Key", CLIENT);
    upstream.enqueue(FakeResponse.json(200, ANTHROPIC_ANSWER));
    post("api-key, anthropic", 200, chat, chat("m-an"), "api-key", CLIENT);
    upstream.enqueue(FakeResponse.json(200, GEMINI_ANSWER));
    post("query, gemini", 200, chat + "?api_key=" + CLIENT, chat("m-ge"));
    post("gemini-style body", 200, chat, "{\"model\":\"m-oa\",\"contents\":[{\"role\":\"user\",\"parts\":"
        + "[{\"text\":\"hi\"}]}]}", "Authorization", bearer(CLIENT));
    post("completions", 200, "/v1/completions", "{\"model\":\"m-oa\",\"prompt\":\"hi\"}", "api-key", CLIENT);
    post("embeddings", 200, "/v1/embeddings", "{\"model\":\"m-oa\",\"input\":\"hi\"}", "X-API-Key", CLIENT);
    upstream.enqueue(FakeResponse.json(200, ANTHROPIC_ANSWER));
    post("messages, x-api-key", 200, "/v1/messages", "{\"model\":\"m-an\",\"max_tokens\":10,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", CLIENT, "anthropic-version", "2023-06-01");
    post("count_tokens", 200, "/v1/messages/count_tokens", "{\"model\":\"m-oa\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}", "x-api-key", CLIENT);
    get("models by query", 200, "/v1/models?api_key=" + CLIENT);
    get("session", 200, "/v1/sessions/s-nowhere", "Authorization", bearer(CLIENT));
  }

  private static void badRequests() {
    String chat = "/v1/chat/completions";
    post("wrong key", 401, chat, chat("m-oa"), "Authorization", bearer(WRONG));
    post("wrong key on messages", 401, "/v1/messages", "{}", "x-api-key", WRONG);
    post("wrong key by query", 401, chat + "?api_key=" + WRONG, chat("m-oa"));
    post("malformed JSON", 400, chat, "{\"model\":\"m-oa\",", "X-API-Key", CLIENT);
    post("unknown path with a key", 404, "/v1/nothing-here?api_key=" + CLIENT, "{}", "Authorization", bearer(CLIENT));
    post("client key on admin", 403, "/admin/keys", "{\"name\":\"x\"}", "Authorization", bearer(CLIENT));
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + UPSTREAM.get("azure") + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
    post("upstream 401 quoting its key", 502, chat, uncached("m-az"), "Authorization", bearer(CLIENT));
    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"key " + UPSTREAM.get("openai")
        + " may not\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
    post("upstream 400 quoting its key", 400, chat, uncached("m-oa"), "Authorization", bearer(CLIENT));
    get("admin with a wrong key", 401, "/admin/providers", "Authorization", bearer(WRONG));
  }

  private static void adminWork() throws IOException {
    String created = post("create key", 201, "/admin/keys", "{\"name\":\"made-here\"}", "Authorization",
        bearer(ADMIN)).text();
    createdKey = Http.JSON.readTree(created.substring(created.indexOf("\n") + 1)).path("key").asText();
    post("created key", 200, "/v1/chat/completions", chat("m-oa"), "Authorization", bearer(createdKey));
    post("create provider", 201, "/admin/providers", "{\"name\":\"made\",\"type\":\"openai\",\"base_url\":\""
        + upstream.baseUrl() + "\",\"api_key\":\"" + UPSTREAM.get("made") + "\"}", "X-API-Key", ADMIN);
    send("update provider", 200, "/admin/providers/made", b -> b.header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"made\",\"type\":\"openai\",\"base_url\":\""
            + upstream.baseUrl() + "\",\"api_keys\":[\"" + UPSTREAM.get("made") + "\",\"" + UPSTREAM.get("made")
            + "-2\"]}")), "Authorization", bearer(ADMIN));
    post("create user", 201, "/admin/users", "{\"name\":\"someone\"}", "Authorization", bearer(ADMIN));
  }

  private static void readEverything() {
    for (String path : List.of("/admin/providers", "/admin/providers/oa", "/admin/providers/made", "/admin/keys",
        "/admin/users", "/admin/audit", "/admin/models", "/admin/logs?limit=500", "/admin/stats", "/metrics",
        "/health", "/healthz", "/admin/keys?api_key=" + ADMIN)) {
      get("read " + path, 200, path, "Authorization", bearer(ADMIN));
    }
    for (String id : List.copyOf(requestIds)) {
      get("log of " + id, -1, "/admin/logs/" + id, "Authorization", bearer(ADMIN));
    }
  }

  private static Answer post(String what, int expected, String path, String body, String... headers) {
    return send(what, expected, path, b -> b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  private static Answer get(String what, int expected, String path, String... headers) {
    return send(what, expected, path, HttpRequest.Builder::GET, headers);
  }

  private static Answer send(String what, int expected, String path,
      Function<HttpRequest.Builder, HttpRequest.Builder> method, String... headers) {
    String id = "nowhere-" + answers.size();
    requestIds.add(id);
    HttpResponse<String> r = Http.send(method.apply(Http.builder(server.baseUrl() + path, headers)
        .header("X-Request-Id", id)).build());
    Answer a = new Answer(what, r.statusCode(), r.headers().map() + "\n" + r.body());
    answers.add(a);
    if (expected > 0) {
      assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(expected);
    }
    return a;
  }

  /** Each secret, and what to call it in a failure; the hash of each client-side key too. */
  private static Map<String, String> secrets(boolean withHashes) {
    Map<String, String> all = new LinkedHashMap<>();
    UPSTREAM.forEach((kind, key) -> all.put(key, "the " + kind + " upstream key"));
    all.put(PASSPHRASE, "TOLLGATE_SECRET_KEY");
    for (String key : List.of(CLIENT, ADMIN, WRONG, createdKey)) {
      all.put(key, "the key " + KeyHashing.displayPrefix(key));
      if (withHashes) {
        all.put(KeyHashing.sha256Hex(key), "the hash of " + KeyHashing.displayPrefix(key));
      }
    }
    return all;
  }

  @Test
  void theRunReachedEveryUpstreamWithItsKey() {
    assertThat(upstream.requestCount()).isGreaterThanOrEqualTo(9);
    assertThat(logs.lines()).as("the capture works").anyMatch(l -> l.text().contains("started"));
    assertThat(answers).as("bodies were logged, and so searched").anyMatch(a -> a.what().startsWith("log of")
        && a.status() == 200 && a.text().contains("Hello from fake"));
  }

  @Test
  void noAnswerHoldsASecret() {
    Map<String, String> secrets = secrets(true);
    for (Answer a : answers) {
      if (a.what().equals("create key")) {
        assertThat(a.text()).as("the one answer that shows a new key").contains(createdKey);
        continue;
      }
      secrets.forEach((secret, what) -> assertThat(a.text()).as(a.what() + " shows " + what)
          .doesNotContain(secret));
    }
  }

  @Test
  void noLogLineHoldsASecret() {
    Map<String, String> secrets = secrets(true);
    for (CapturedLogs.Line line : logs.lines()) {
      secrets.forEach((secret, what) -> assertThat(line.text()).as(what).doesNotContain(secret));
    }
  }

  @Test
  void noDatabaseColumnHoldsASecretOnlyHashesAndPrefixes() throws SQLException {
    Map<String, String> secrets = secrets(false);
    int cells = 0;
    try (Connection c = server.database().connect(); Statement s = c.createStatement()) {
      Map<String, List<String>> columns = new LinkedHashMap<>();
      try (ResultSet r = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
          + " WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json',"
          + " 'jsonb') ORDER BY table_name, ordinal_position")) {
        while (r.next()) {
          columns.computeIfAbsent(r.getString(1), t -> new ArrayList<>()).add(r.getString(2));
        }
      }
      assertThat(columns).containsKeys("providers", "client_keys", "audit_log", "usage_log", "sessions");
      for (Map.Entry<String, List<String>> table : columns.entrySet()) {
        for (String column : table.getValue()) {
          try (ResultSet r = s.executeQuery("SELECT \"" + column + "\"::text FROM \"" + table.getKey() + "\"")) {
            while (r.next()) {
              String value = r.getString(1);
              if (value != null) {
                cells++;
                secrets.forEach((secret, what) -> assertThat(value).as(table.getKey() + "." + column + " holds "
                    + what).doesNotContain(secret));
              }
            }
          }
        }
      }
    }
    assertThat(cells).as("the dump read something").isGreaterThan(100);
  }
}
