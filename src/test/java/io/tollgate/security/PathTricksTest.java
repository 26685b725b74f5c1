package io.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.WebappServer;
import io.tollgate.testing.WebappServer.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every route of the WAR, with no key, a client key and the admin key, through a table of path tricks: no trick
 * may change the outcome except into a refusal (400, or 401/403/404/405 for a path that names nothing), and a refused trick
 * never reaches the upstream. Every answer the webapp gives is JSON, and every refusal has a request-log row.
 */
class PathTricksTest {
  private static final String CLIENT = "sk-tollgate-path-tricks";
  private static final String ADMIN = "admin-path-tricks";
  private static final String CHAT = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String MESSAGES = "{\"model\":\"gpt-test\",\"max_tokens\":5,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** Unknown paths need a key like any other, so 401 and 403 are refusals as much as 404. */
  private static final java.util.Set<Integer> REFUSALS = java.util.Set.of(400, 401, 403, 404, 405);

  private record Route(String method, String path, String body) {
  }

  private record Trick(String name, UnaryOperator<String> apply) {
  }

  private static final List<Route> ROUTES = List.of(
      new Route("POST", "/v1/chat/completions", CHAT),
      new Route("POST", "/chat/completions", CHAT),
      new Route("POST", "/api/v1/chat/completions", CHAT),
      new Route("POST", "/v1/completions", "{\"model\":\"gpt-test\",\"prompt\":\"hi\"}"),
      new Route("POST", "/v1/embeddings", "{\"model\":\"gpt-test\",\"input\":\"hi\"}"),
      new Route("POST", "/v1/messages", MESSAGES),
      new Route("POST", "/v1/messages/count_tokens", MESSAGES),
      new Route("GET", "/v1/models", null),
      new Route("GET", "/v1/models/gpt-test", null),
      new Route("GET", "/admin/keys", null),
      new Route("POST", "/admin/keys", "{\"name\":\"tricked\"}"),
      new Route("DELETE", "/admin/keys/no-such-key", null),
      new Route("GET", "/admin/providers", null),
      new Route("PUT", "/admin/providers/main", "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\"}"),
      new Route("GET", "/admin/models", null),
      new Route("GET", "/", null),
      new Route("GET", "/healthz", null),
      new Route("GET", "/metrics", null),
      new Route("GET", "/openapi.json", null),
      new Route("GET", "/docs", null),
      new Route("GET", "/webjars/swagger-ui/" + swaggerUiVersion() + "/swagger-ui.css", null));

  /** The folder of Swagger UI's files that /docs loads: the WebJar's version. */
  private static String swaggerUiVersion() {
    try (java.io.InputStream in = PathTricksTest.class.getResourceAsStream(
        "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      java.util.Properties pom = new java.util.Properties();
      pom.load(in);
      return pom.getProperty("version");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Trick> tricks(String path) {
    List<Trick> t = new ArrayList<>();
    String[] segments = path.substring(1).split("/");
    for (int i = 0; i < segments.length && !path.equals("/"); i++) {
      int at = i;
      t.add(new Trick("param on segment " + i, p -> withSegment(p, at, s -> s + ";x=1")));
      t.add(new Trick("empty param on segment " + i, p -> withSegment(p, at, s -> s + ";")));
    }
    for (String prefix : List.of("/console/..", "/console/..;", "/console/..;x=1", "/console/%2e%2e",
        "/console/%2E%2E", "/console/.%2e", "/healthz/..", "/docs/../x/..", "/console/%2e%2e%2f..", "/.",
        "/console/..%2f..", "/console%2f..")) {
      t.add(new Trick("prefix " + prefix, p -> prefix + p));
    }
    t.add(new Trick("doubled leading slash", p -> "/" + p));
    t.add(new Trick("doubled inner slash", p -> p.replaceFirst("(?<=.)/", "//")));
    t.add(new Trick("encoded slash", p -> p.replaceFirst("(?<=.)/", "%2F")));
    t.add(new Trick("encoded backslash", p -> p.replaceFirst("(?<=.)/", "%5C")));
    t.add(new Trick("dot segment inside", p -> p.replaceFirst("(?<=.)/", "/./")));
    t.add(new Trick("dot-dot back inside", p -> p.replaceFirst("(?<=.)/", "/x/../")));
    t.add(new Trick("encoded dot-dot back inside", p -> p.replaceFirst("(?<=.)/", "/x/%2e%2e/")));
    t.add(new Trick("trailing dot", p -> p + "/."));
    t.add(new Trick("trailing slash", p -> p + "/"));
    t.add(new Trick("upper case", p -> p.toUpperCase(Locale.ROOT)));
    t.add(new Trick("encoded first letter", p -> p.length() < 2 ? p
        : "/%" + Integer.toHexString(p.charAt(1)) + p.substring(2)));
    t.add(new Trick("encoded percent", p -> p + "%252e"));
    t.add(new Trick("encoded NUL", p -> p + "%00"));
    return t;
  }

  private static String withSegment(String path, int index, UnaryOperator<String> change) {
    String[] s = path.substring(1).split("/");
    s[index] = change.apply(s[index]);
    return "/" + String.join("/", s);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void noTrickChangesTheOutcome(Container container) throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(); WebappServer server = container.start(settings(upstream))) {
      RequestLogRows rows = new RequestLogRows(server.database());
      Map<String, String[]> keys = new LinkedHashMap<>();
      keys.put("no key", new String[0]);
      keys.put("client key", new String[] {"Authorization", "Bearer " + CLIENT});
      keys.put("admin key", new String[] {"Authorization", "Bearer " + ADMIN});
      List<String> refusedIds = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      int n = 0;
      for (Route route : ROUTES) {
        for (Map.Entry<String, String[]> key : keys.entrySet()) {
          int canonical = send(server, route, route.path(), key.getValue(), "canonical-" + n++).status();
          for (Trick trick : tricks(route.path())) {
            String raw = trick.apply().apply(route.path());
            if (raw.equals(route.path())) {
              continue;
            }
            String id = "trick-" + n++;
            int before = upstream.requestCount();
            RawHttp.Answer answer = send(server, route, raw, key.getValue(), id);
            int status = answer.status();
            boolean sameOrRefused = status == canonical || REFUSALS.contains(status);
            if (!sameOrRefused || (status != canonical && upstream.requestCount() != before)) {
              failures.add(route.method() + " " + raw + " with " + key.getKey() + " (" + trick.name() + "): "
                  + status + ", canonical " + canonical + ", upstream calls " + (upstream.requestCount() - before));
            }
            if (answer.header("X-Request-Id") != null) { // answered by the webapp, not the connector
              if (status >= 400) {
                if (!isJsonError(answer.body())) {
                  failures.add(route.method() + " " + raw + ": not a JSON error: " + answer.body());
                }
                refusedIds.add(id);
              }
            } else if (status != 400) {
              failures.add(route.method() + " " + raw + ": the connector answered " + status);
            }
          }
        }
      }
      assertThat(failures).isEmpty();
      assertThat(refusedIds).hasSizeGreaterThan(500);
      assertThat(rows.missing(refusedIds, Duration.ofSeconds(10))).isEmpty();
    }
  }

  /** The clean paths answer as a client expects, so the table above compares against something meaningful. */
  @ParameterizedTest
  @EnumSource(Container.class)
  void canonicalOutcomes(Container container) throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(); WebappServer server = container.start(settings(upstream))) {
      String[] client = {"Authorization", "Bearer " + CLIENT};
      String[] admin = {"Authorization", "Bearer " + ADMIN};
      Route chat = ROUTES.get(0);
      Route keys = ROUTES.get(9);
      assertThat(send(server, chat, chat.path(), new String[0], "c1").status()).isEqualTo(401);
      assertThat(send(server, chat, chat.path(), client, "c2").status()).isEqualTo(200);
      assertThat(send(server, keys, keys.path(), client, "c3").status()).isEqualTo(403);
      assertThat(send(server, keys, keys.path(), admin, "c4").status()).isEqualTo(200);
      RawHttp.Answer tricked = send(server, chat, "/console/../v1/chat/completions", new String[0], "c5");
      assertThat(tricked.status()).isEqualTo(400);
      assertThat(send(server, keys, "/admin;x=1/keys", client, "c6").status()).isEqualTo(400);
      // The open documentation, with no key, on both containers.
      for (Route open : ROUTES.subList(ROUTES.size() - 3, ROUTES.size())) {
        assertThat(send(server, open, open.path(), new String[0], "c-" + open.path()).status()).as(open.path())
            .isEqualTo(200);
      }
      assertThat(upstream.requestCount()).isEqualTo(1);
      assertThat(new RequestLogRows(server.database()).await("c5", Duration.ofSeconds(10)).get("status"))
          .isEqualTo(400);
    }
  }

  private static boolean isJsonError(String body) {
    try {
      JsonNode json = Http.JSON.readTree(body);
      return json.has("error");
    } catch (java.io.IOException notJson) {
      return false;
    }
  }

  private static RawHttp.Answer send(WebappServer server, Route route, String rawPath, String[] key, String id) {
    String[] headers = new String[key.length + 2];
    System.arraycopy(key, 0, headers, 0, key.length);
    headers[key.length] = "X-Request-Id";
    headers[key.length + 1] = id;
    return RawHttp.send(server.baseUrl(), route.method(), rawPath, route.body(), headers);
  }

  private static Map<String, String> settings(FakeUpstream upstream) throws Exception {
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: main
            type: openai
            base_url: %s
            api_keys: [sk-upstream-path-tricks]
        models:
          - name: gpt-test
            targets: [{provider: main, model: upstream-model}]
        clients:
          - name: path-tricks
            key: %s
        """.formatted(upstream.baseUrl(), CLIENT));
    // Hundreds of refused keys from one address: the failure throttle (KeyGuessingTest) would answer them with 429s.
    return Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN, "AUTH_FAILURE_LIMIT", "0");
  }
}
