package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /openapi.json and GET /docs, both without a key: a valid OpenAPI document of every route and of nothing else,
 * and a Swagger UI page whose every file the gateway serves itself; no path trick on them opens anything else.
 */
class ApiDocsTest {
  private static final String ADMIN = "admin-key-for-api-docs";
  private static final String CLIENT = "sk-tollgate-api-docs";
  private static final Set<String> OPEN = Set.of("/", "/healthz", "/health", "/metrics", "/openapi.json", "/docs",
      "/console");
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", BootstrapFiles.echoWithClient("api-docs", CLIENT),
        "TOLLGATE_ADMIN_KEY", ADMIN));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static OpenAPI parsed() {
    HttpResponse<String> r = Http.get(server.baseUrl() + "/openapi.json");
    assertThat(r.statusCode()).isEqualTo(200);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(r.body(), null, options);
    assertThat(result.getMessages()).as("what the parser reports").isEmpty();
    assertThat(result.getOpenAPI()).isNotNull();
    return result.getOpenAPI();
  }

  private static List<String> endpoints() {
    List<String> out = new ArrayList<>();
    json(Http.get(server.baseUrl() + "/")).path("endpoints").forEach(e -> out.add(e.asText()));
    assertThat(out).hasSizeGreaterThan(40).contains("GET /openapi.json", "GET /docs");
    return out;
  }

  @Test
  void theDocumentIsValidOpenApiForThisServer() {
    OpenAPI api = parsed();
    assertThat(api.getOpenapi()).startsWith("3.0.");
    assertThat(api.getServers()).extracting(Server::getUrl).containsExactly(server.baseUrl());
    assertThat(api.getInfo().getVersion()).isEqualTo(json(Http.get(server.baseUrl() + "/")).path("version").asText());
    assertThat(api.getComponents().getSecuritySchemes()).containsKeys("clientKey", "adminKey");
  }

  @Test
  void everyRouteIsDocumentedAndNothingElse() {
    Set<String> documented = new TreeSet<>();
    parsed().getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
        .forEach(method -> documented.add(method.name() + " " + path)));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(endpoints());
  }

  /** What each operation says it needs is what the gateway asks for: nothing, a client key or the admin key. */
  @Test
  void eachOperationNamesTheKeyTheGatewayAsksFor() {
    JsonNode doc = ApiDocument.fetch(server.baseUrl()).json();
    assertThat(doc.path("security").toString()).isEqualTo("[{\"clientKey\":[]},{\"clientApiKey\":[]}]");
    for (String endpoint : endpoints()) {
      String method = endpoint.substring(0, endpoint.indexOf(' '));
      String path = endpoint.substring(endpoint.indexOf(' ') + 1);
      JsonNode security = doc.path("paths").path(path).path(method.toLowerCase(Locale.ROOT)).path("security");
      String expected = OPEN.contains(path) ? "[]" : path.startsWith("/admin") ? "[{\"adminKey\":[]}]" : "";
      assertThat(security.isMissingNode() ? "" : security.toString()).as(endpoint).isEqualTo(expected);
      if (method.equals("GET") && !path.contains("{")) {
        int withoutKey = Http.get(server.baseUrl() + path).statusCode();
        assertThat(withoutKey == 401).as(endpoint + " without a key: " + withoutKey).isEqualTo(!OPEN.contains(path));
        if (path.startsWith("/admin")) {
          assertThat(Http.get(server.baseUrl() + path, "Authorization", bearer(CLIENT)).statusCode()).isEqualTo(403);
        }
      }
    }
  }

  @Test
  void theDocsPageLoadsEverythingFromTheGatewayWithoutAKey() {
    HttpResponse<String> page = Http.get(server.baseUrl() + "/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'none'", "script-src 'self';", "connect-src 'self'");
    assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)");
    URI base = URI.create(server.baseUrl() + "/docs");
    List<String> urls = new ArrayList<>();
    Matcher m = ASSET.matcher(page.body());
    while (m.find()) {
      assertThat(m.group(1)).as("a relative URL on this server").doesNotContain("//").doesNotStartWith("/");
      urls.add(base.resolve(m.group(1)).toString());
    }
    assertThat(urls).anyMatch(u -> u.matches(".*/webjars/swagger-ui/[0-9.]+/swagger-ui-bundle\\.js"))
        .anyMatch(u -> u.endsWith("/swagger-ui.css")).anyMatch(u -> u.endsWith("/docs/swagger-initializer.js"));
    for (String url : urls) {
      HttpResponse<String> asset = Http.get(url);
      assertThat(asset.statusCode()).as(url).isEqualTo(200);
      String type = asset.headers().firstValue("Content-Type").orElse("");
      assertThat(type).as(url).startsWith(url.endsWith(".js") ? "text/javascript" : url.endsWith(".css")
          ? "text/css" : "image/png");
      assertThat(asset.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
    String bundle = urls.stream().filter(u -> u.endsWith("swagger-ui-bundle.js")).findFirst().orElseThrow();
    assertThat(Http.get(bundle).body()).contains("SwaggerUIBundle").hasSizeGreaterThan(500_000);
    // The initializer reads the document's URL from the page, relative to it: the gateway's own /openapi.json.
    Matcher spec = Pattern.compile("data-url=\"([^\"]+)\"").matcher(page.body());
    assertThat(spec.find()).isTrue();
    assertThat(base.resolve(spec.group(1)).toString()).isEqualTo(server.baseUrl() + "/openapi.json");
    assertThat(Http.get(server.baseUrl() + "/docs/swagger-initializer.js").body())
        .contains("SwaggerUIBundle(", "root.dataset.url", "validatorUrl: null");
  }

  @Test
  void onlyTheFilesThePageNeedsAreServed() {
    String version = version();
    for (String path : List.of("/webjars/swagger-ui/" + version + "/index.html",
        "/webjars/swagger-ui/" + version + "/swagger-initializer.js", "/webjars/swagger-ui/" + version + "/",
        "/webjars/swagger-ui/" + version + "/swagger-ui.js", "/webjars/swagger-ui/0.0.1/swagger-ui.css",
        "/webjars/swagger-ui/", "/webjars/swagger-ui/" + version + "/oauth2-redirect.html")) {
      HttpResponse<String> r = Http.get(server.baseUrl() + path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(json(r).path("error").path("code").asText()).isEqualTo("not_found");
    }
    // Outside the two paths and the WebJar's folder, a key is needed as anywhere else.
    for (String path : List.of("/docs/", "/docs/index.html", "/openapi.json/x", "/webjars/swagger-ui",
        "/webjars/other/1.0/x.js", "/DOCS", "/openapi.yaml")) {
      assertThat(Http.get(server.baseUrl() + path).statusCode()).as(path).isEqualTo(401);
    }
  }

  /** Whatever the path says, an admin path is never answered without the admin key. */
  @Test
  void pathTricksOnTheOpenPathsOpenNothingElse() {
    String v = version();
    List<String> tricks = List.of("/docs;x", "/docs;x/../admin/keys", "/docs/../admin/keys", "/docs/%2e%2e/admin/keys",
        "/docs/%2E%2E/admin/keys", "/docs/.%2e/admin/keys", "/docs%2f..%2fadmin/keys", "/docs/..%2fadmin/keys",
        "/docs/..;/admin/keys", "/docs/./../admin/keys", "/docs//../admin/keys", "/docs/../api/v1/admin/keys",
        "/docs\\..\\admin\\keys", "/docs%5c..%5cadmin%5ckeys", "/openapi.json/../admin/keys",
        "/openapi.json/..;/admin/keys", "/openapi.json;/../admin/keys", "/openapi.json%00/../admin/keys",
        "/openapi.json/%2e%2e/admin", "/docs/swagger-initializer.js/../../admin/keys",
        "/webjars/swagger-ui/../../admin/keys", "/webjars/swagger-ui/%2e%2e/%2e%2e/admin/keys",
        "/webjars/swagger-ui/" + v + "/..%2f..%2f..%2fadmin/keys", "/webjars/swagger-ui/" + v + "/../../../admin/keys",
        "/webjars/swagger-ui/" + v + "/%2e%2e/%2e%2e/%2e%2e/admin/keys", "/webjars/swagger-ui/;/../../admin/keys",
        "/webjars/swagger-ui/%2e%2e%2f%2e%2e%2fadmin/keys");
    assertThat(Http.get(server.baseUrl() + "/admin/keys").statusCode()).isEqualTo(401);
    for (String trick : tricks) {
      for (String[] key : List.<String[]>of(new String[0], new String[] {"Authorization", bearer(CLIENT)})) {
        RawHttp.Answer answer = RawHttp.send(server.baseUrl(), "GET", trick, null, key);
        assertThat(answer.status()).as(trick + " with " + key.length / 2 + " key(s)").isIn(400, 401, 403, 404);
        assertThat(answer.body()).as(trick).doesNotContain("\"object\":\"list\"", "\"prefix\"");
      }
    }
  }

  private static String version() {
    Matcher m = Pattern.compile("webjars/swagger-ui/([0-9.]+)/").matcher(Http.get(server.baseUrl() + "/docs").body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
