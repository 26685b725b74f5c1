package io.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one client key may not reach, through every entry point and path form: the admin API (both prefixes, every
 * resource), another key's session, another key's cached answers, and a model outside its allow-list. Which
 * other tests cover what is in SECURITY.md ("Isolation between keys"); this one adds the path forms and entry points
 * they leave out. Each refusal must also keep the request from the upstream.
 */
class KeyIsolationTest {
  private static final String KEY_A = "sk-isolation-key-a-000000";
  private static final String KEY_B = "sk-isolation-key-b-111111";
  private static final String LIMITED = "sk-isolation-limited-2222";
  private static final String ADMIN = "admin-isolation-key";
  /** A path form that names nothing may be refused in any of these ways, never answered. */
  private static final Set<Integer> REFUSED = Set.of(400, 401, 403, 404, 405);

  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers: [{name: main, type: openai, base_url: %s, api_key: sk-upstream-isolation}]
        models:
          - {name: open-model, targets: [{provider: main, model: up}]}
          - {name: closed-model, targets: [{provider: main, model: up}]}
        clients:
          - {name: a, key: %s}
          - {name: b, key: %s}
          - {name: limited, key: %s, models: [open-*]}
        """.formatted(upstream.baseUrl(), KEY_A, KEY_B, LIMITED));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "CACHE_ENABLED", "true", "CACHE_MODE", "all"));
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  private static RawHttp.Answer send(String method, String path, String body, String key) {
    return RawHttp.send(server.baseUrl(), method, path, body, "Authorization", "Bearer " + key,
        "Content-Type", "application/json", "anthropic-version", "2023-06-01");
  }

  /** The path and the forms a client might try instead of it. */
  private static List<String> forms(String path) {
    String tail = path.substring(1);
    int slash = tail.indexOf('/');
    String first = slash < 0 ? tail : tail.substring(0, slash);
    String rest = slash < 0 ? "" : tail.substring(slash);
    return List.of(path, path + "/", "/" + path, path.replaceFirst("(?<=.)/", "//"),
        "/" + first + ";x=1" + rest, "/" + first + "/x/.." + rest, "/" + first + "/x/%2e%2e" + rest,
        path.replaceFirst("(?<=.)/", "%2F"), path.toUpperCase(java.util.Locale.ROOT), "/docs/.." + path,
        "/" + first + "/." + rest);
  }

  @Test
  void aClientKeyReachesNoAdminRouteUnderAnyPrefixOrForm() {
    List<String> reached = new ArrayList<>();
    for (String prefix : List.of("/admin", "/api/v1/admin")) {
      for (String resource : List.of("/keys", "/providers", "/models", "/users", "/audit", "/logs", "/logs/x",
          "/stats", "/stats/series", "/prices", "/cache")) {
        for (String path : forms(prefix + resource)) {
          for (String method : List.of("GET", "POST", "DELETE")) {
            RawHttp.Answer a = send(method, path, method.equals("POST") ? "{\"name\":\"x\"}" : null, KEY_A);
            if (!REFUSED.contains(a.status()) || a.body().contains("\"data\"")) {
              reached.add(method + " " + path + " -> " + a.status() + " " + a.body());
            }
          }
        }
      }
    }
    assertThat(reached).isEmpty();
    assertThat(send("GET", "/api/v1/admin/keys", null, ADMIN).status()).as("the routes exist").isEqualTo(200);
  }

  @Test
  void anotherKeysSessionIsNotFoundUnderAnyPathForm() {
    RawHttp.Answer made = RawHttp.send(server.baseUrl(), "POST", "/v1/chat/completions", "{\"model\":"
        + "\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"secret of A\"}]}", "Authorization",
        "Bearer " + KEY_A, "Content-Type", "application/json", "X-Session-Id", "owned-by-a");
    assertThat(made.status()).isEqualTo(200);
    assertThat(send("GET", "/v1/sessions/owned-by-a", null, KEY_A).body()).contains("secret of A");
    List<String> leaked = new ArrayList<>();
    for (String base : List.of("/v1/sessions/owned-by-a", "/context/owned-by-a", "/api/v1/sessions/owned-by-a",
        "/sessions/owned-by-a", "/v1/sessions/owned%2Dby%2Da")) {
      for (String path : forms(base)) {
        for (String method : List.of("GET", "DELETE")) {
          RawHttp.Answer a = send(method, path, null, KEY_B);
          if (!REFUSED.contains(a.status()) || a.body().contains("secret of A")) {
            leaked.add(method + " " + path + " -> " + a.status() + " " + a.body());
          }
        }
      }
    }
    assertThat(leaked).isEmpty();
    assertThat(send("GET", "/v1/sessions/owned-by-a", null, KEY_A).body()).as("still there for A")
        .contains("secret of A");
  }

  @Test
  void anotherKeysCachedAnswerIsNotServedOnAnyEntryPoint() {
    String chat = "{\"model\":\"open-model\",\"messages\":[{\"role\":\"user\",\"content\":\"cache me\"}]}";
    String[][] calls = {
        {"/v1/chat/completions", chat},
        {"/api/v1/chat/completions", chat},
        {"/chat/completions", chat},
        {"/v1/completions", "{\"model\":\"open-model\",\"prompt\":\"cache me\"}"},
        {"/v1/embeddings", "{\"model\":\"open-model\",\"input\":\"cache me\"}"},
        {"/v1/messages", "{\"model\":\"open-model\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"cache me\"}]}"},
        {"/v1/chat/completions", "{\"model\":\"open-model\",\"contents\":[{\"role\":\"user\",\"parts\":"
            + "[{\"text\":\"cache me too\"}]}]}"}};
    for (int i = 0; i < calls.length; i++) {
      String[] call = calls[i];
      String body = call[1].replace("cache me", "cache me " + i); // a request of its own, for B too
      assertThat(send("POST", call[0], body, KEY_A).status()).as(call[0]).isEqualTo(200);
      assertThat(send("POST", call[0], body, KEY_A).header("X-Tollgate-Cache")).as("A's own hit on " + call[0])
          .isEqualTo("hit");
      int before = upstream.requestCount();
      RawHttp.Answer b = send("POST", call[0], body, KEY_B);
      assertThat(b.status()).isEqualTo(200);
      assertThat(b.header("X-Tollgate-Cache")).as("B on " + call[0]).isNotEqualTo("hit");
      assertThat(upstream.requestCount()).as("B's answer came from the upstream").isEqualTo(before + 1);
    }
  }

  @Test
  void aModelOutsideTheAllowListIsRefusedOnEveryEntryPointAndPathForm() {
    String chat = "{\"model\":\"closed-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    String stream = "{\"model\":\"closed-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    String messages = "{\"model\":\"closed-model\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"x\"}]}";
    String[][] calls = {
        {"/v1/chat/completions", chat}, {"/v1/chat/completions", stream}, {"/api/v1/chat/completions", chat},
        {"/chat/completions", chat}, {"/v1/completions", "{\"model\":\"closed-model\",\"prompt\":\"x\"}"},
        {"/v1/embeddings", "{\"model\":\"closed-model\",\"input\":\"x\"}"}, {"/v1/messages", messages},
        {"/v1/messages/count_tokens", messages}, {"/api/v1/messages", messages},
        {"/v1/chat/completions", "{\"model\":\"closed-model\",\"contents\":[{\"role\":\"user\",\"parts\":"
            + "[{\"text\":\"x\"}]}]}"},
        {"/v1/models/closed-model", null}};
    int before = upstream.requestCount();
    List<String> allowed = new ArrayList<>();
    for (String[] call : calls) {
      for (String path : forms(call[0])) {
        RawHttp.Answer a = send(call[1] == null ? "GET" : "POST", path, call[1], LIMITED);
        if (!REFUSED.contains(a.status())) {
          allowed.add(path + " " + call[1] + " -> " + a.status() + " " + a.body());
        }
      }
    }
    assertThat(allowed).isEmpty();
    assertThat(upstream.requestCount()).as("nothing went upstream").isEqualTo(before);
    assertThat(send("GET", "/v1/models", null, LIMITED).body()).contains("open-model").doesNotContain("closed");
    assertThat(send("POST", "/v1/chat/completions", chat.replace("closed", "open"), LIMITED).status())
        .as("the key works for what it may use").isEqualTo(200);
  }
}
