package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.uri.PathTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** GET / lists every route the WAR serves, and nothing it does not. */
class RootEndpointsTest {
  private static final String ADMIN = "admin-key-for-root-tests";
  private static final String CLIENT = "sk-tollgate-root-endpoints";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final Map<String, String> BODIES = Map.ofEntries(Map.entry("POST /admin/users",
      "{\"name\":\"probe-user\"}"), Map.entry("PATCH /admin/users/{id}", "{\"email\":\"probe@example.com\"}"),
      Map.entry("PATCH /admin/keys/{id}", "{\"rpm\":5}"), Map.entry("POST /admin/keys/{id}/rotate", "{\"grace\":0}"),
      Map.entry("POST /admin/prices", "{\"model\":\"probe-price\",\"input_per_mtok\":1,\"output_per_mtok\":2}"),
      Map.entry("PUT /admin/prices/{model}", "{\"input_per_mtok\":1,\"output_per_mtok\":3}"));
  private static final Map<String, String> ROUTING_BODIES = Map.of(
      "POST /v1/chat/completions", CHAT,
      "POST /v1/completions", "{\"model\":\"echo\",\"prompt\":\"hi\"}",
      "POST /v1/embeddings", "{\"model\":\"echo\",\"input\":\"hi\"}",
      "POST /v1/messages", "{\"model\":\"echo\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "POST /v1/messages/count_tokens", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "POST /admin/keys", "{\"name\":\"probe\"}",
      "POST /admin/providers", "{\"name\":\"probe\",\"type\":\"echo\",\"api_keys\":[\"sk-probe-000000000001\"]}",
      "PUT /admin/providers/{name}", "{\"type\":\"echo\"}",
      "POST /admin/models", "{\"name\":\"probe-model\",\"targets\":[{\"provider\":\"demo\"}]}",
      "PUT /admin/models/{name}", "{\"targets\":[{\"provider\":\"demo\",\"model\":\"echo\"}]}");
  private static GatewayServer server;

  @BeforeAll
  static void start() throws IOException {
    String yaml = BootstrapFiles.echoWithClient("root-tests", CLIENT);
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml, "TOLLGATE_ADMIN_KEY", ADMIN));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> listed() {
    HttpResponse<String> root = Http.get(server.baseUrl() + "/");
    assertThat(root.statusCode()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    json(root).path("endpoints").forEach(e -> out.add(e.asText()));
    assertThat(out).isNotEmpty().doesNotHaveDuplicates();
    return out;
  }

  @Test
  void everyListedEndpointIsServed() {
    List<String> endpoints = new ArrayList<>(listed());
    // Deletions last, so every other call still finds the entries it names.
    endpoints.sort((a, b) -> Boolean.compare(a.startsWith("DELETE "), b.startsWith("DELETE ")));
    Map<String, String> samples = new HashMap<>(Map.of("/v1/models/{id}", "/v1/models/echo",
        "/admin/providers/{name}", "/admin/providers/demo", "/admin/models/{name}", "/admin/models/echo",
        "/admin/providers/{name}/keys/{n}/enable", "/admin/providers/probe/keys/0/enable"));
    samples.put("/admin/prices/{model}", "/admin/prices/probe-price");
    samples.put("/admin/providers/{name}/test", "/admin/providers/demo/test");
    // A session for each of the two session routes, so that each one's DELETE finds its own.
    String requestId = null;
    for (String session : List.of("probe-a", "probe-b")) {
      requestId = Http.post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(CLIENT),
          "X-Session-Id", session).headers().firstValue("X-Request-Id").orElseThrow();
    }
    awaitLogRow(requestId);
    samples.put("/admin/logs/{request_id}", "/admin/logs/" + requestId);
    samples.put("/v1/sessions/{id}", "/v1/sessions/probe-a");
    samples.put("/context/{id}", "/context/probe-b");
    HttpResponse<String> stored = Http.post(server.baseUrl() + "/v1/responses", "{\"model\":\"echo\",\"input\":\"hi\"}",
        "Authorization", bearer(CLIENT));
    samples.put("/v1/responses/{id}", "/v1/responses/" + json(stored).path("id").asText());
    // Revoked before the DELETE runs, so that one must be another key.
    HttpResponse<String> other = Http.post(server.baseUrl() + "/admin/keys", "{\"name\":\"probe-revoked\"}",
        "Authorization", bearer(ADMIN));
    samples.put("/admin/keys/{id}/revoke", "/admin/keys/" + json(other).path("id").asText() + "/revoke");
    samples.put("/admin/keys/{id}/enable", "/admin/keys/" + json(other).path("id").asText() + "/enable");
    for (String endpoint : endpoints) {
      String method = endpoint.substring(0, endpoint.indexOf(' '));
      String template = endpoint.substring(endpoint.indexOf(' ') + 1);
      String path = samples.getOrDefault(template, template);
      assertThat(path).as(endpoint + " needs a sample value in this test").doesNotContain("{");
      String body = BODIES.getOrDefault(endpoint, ROUTING_BODIES.get(endpoint));
      HttpResponse<String> r = Http.send(Http.builder(server.baseUrl() + path, "Authorization",
          bearer(path.startsWith("/admin") ? ADMIN : CLIENT), "Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body)).build());
      assertThat(r.statusCode()).as(endpoint + ": " + r.body()).isNotIn(404, 405).isLessThan(500);
      if (endpoint.equals("POST /admin/keys")) {
        samples.put("/admin/keys/{id}", "/admin/keys/" + json(r).path("id").asText());
        samples.put("/admin/keys/{id}/rotate", "/admin/keys/" + json(r).path("id").asText() + "/rotate");
      }
      if (endpoint.equals("POST /admin/users")) {
        samples.put("/admin/users/{id}", "/admin/users/" + json(r).path("id").asText());
      }
    }
  }

  /** The request log is written a moment after the response: waits (bounded) until the row can be read. */
  private static void awaitLogRow(String requestId) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    String url = server.baseUrl() + "/admin/logs/" + requestId;
    while (Http.get(url, "Authorization", bearer(ADMIN)).statusCode() != 200) {
      assertThat(System.nanoTime()).as("the log row of " + requestId).isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
  }

  @Test
  void everyJerseyRouteIsListed() throws Exception {
    List<String> endpoints = listed();
    List<String> missing = new ArrayList<>();
    for (Class<?> resource : resourceClasses()) {
      for (String[] route : routes(Resource.from(resource), "")) {
        PathTemplate template = new PathTemplate(route[1]);
        boolean listed = endpoints.stream().anyMatch(e -> e.startsWith(route[0] + " ")
            && template.match(e.substring(e.indexOf(' ') + 1).replaceAll("\\{[a-z]+}", "x"), new HashMap<>()));
        if (!listed) {
          missing.add(route[0] + " " + route[1] + " (" + resource.getSimpleName() + ")");
        }
      }
    }
    assertThat(missing).as("routes missing from GET /").isEmpty();
  }

  @Test
  void everyServletRouteIsListed() throws Exception {
    List<String> endpoints = listed();
    Element webXml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(java.nio.file.Path.of("src/main/webapp/WEB-INF/web.xml").toFile()).getDocumentElement();
    NodeList mappings = webXml.getElementsByTagName("servlet-mapping");
    List<String> servletRoutes = new ArrayList<>();
    for (int i = 0; i < mappings.getLength(); i++) {
      Element mapping = (Element) mappings.item(i);
      if (mapping.getElementsByTagName("servlet-name").item(0).getTextContent().equals("jersey")) {
        continue;
      }
      NodeList patterns = mapping.getElementsByTagName("url-pattern");
      for (int p = 0; p < patterns.getLength(); p++) {
        String pattern = patterns.item(p).getTextContent().trim();
        if (pattern.startsWith("/v1/")) {
          servletRoutes.add("POST " + pattern);
        }
      }
    }
    assertThat(servletRoutes).hasSizeGreaterThanOrEqualTo(5);
    assertThat(endpoints).containsAll(servletRoutes);
  }

  /** Method and full path template of each resource method, sub-resources included. */
  private static List<String[]> routes(Resource resource, String parent) {
    String path = (parent + "/" + (resource.getPath() == null ? "" : resource.getPath())).replaceAll("/+", "/");
    List<String[]> out = new ArrayList<>();
    for (ResourceMethod method : resource.getResourceMethods()) {
      out.add(new String[] {method.getHttpMethod(), path});
    }
    resource.getChildResources().forEach(child -> out.addAll(routes(child, path)));
    return out;
  }

  private static List<Class<?>> resourceClasses() throws IOException {
    java.nio.file.Path classes = java.nio.file.Path.of("target/classes");
    try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("io/tollgate"))) {
      List<Class<?>> out = files.map(f -> classes.relativize(f).toString())
          .filter(f -> f.endsWith(".class") && !f.contains("$"))
          .<Class<?>>map(f -> load(f.substring(0, f.length() - 6).replace('/', '.')))
          .filter(c -> c.isAnnotationPresent(Path.class)).toList();
      assertThat(out).as("JAX-RS resources found").hasSizeGreaterThanOrEqualTo(5);
      return out;
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, RootEndpointsTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
