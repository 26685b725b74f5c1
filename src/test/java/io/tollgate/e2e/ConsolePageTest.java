package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /console without a browser: the page and every file it loads (followed through the modules' imports) come from the
 * gateway with the right types and security headers, nothing else is served under the prefix, path tricks are
 * refused, and the sources keep the rules that make the strict Content-Security-Policy and escaping hold.
 */
class ConsolePageTest {
  private static final Path SOURCES = Path.of("src/main/webapp/console");
  private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"#]+)\"");
  private static final Pattern IMPORT = Pattern.compile("(?:from\\s+|import\\()'(\\.[^']+)'");
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", BootstrapFiles.echoWithClient("console", "sk-console-1"),
        "TOLLGATE_ADMIN_KEY", "admin-key-for-console-page"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theBareNameRedirectsToTheFolderSoRelativeLinksWork() {
    RawHttp.Answer answer = RawHttp.send(server.baseUrl(), "GET", "/console", null);
    assertThat(answer.status()).isEqualTo(302);
    assertThat(answer.header("Location")).isIn("console/", server.baseUrl() + "/console/");
  }

  /** Under a context path the same relative links reach the same files, and the API one level up. */
  @Test
  void itWorksUnderAContextPath() {
    try (GatewayServer under = GatewayServer.start("/gw", Map.of("TOLLGATE_ADMIN_KEY", "admin-key-under-gw"))) {
      RawHttp.Answer bare = RawHttp.send(under.baseUrl(), "GET", "/gw/console", null); // a raw path: from the root
      assertThat(bare.status()).isEqualTo(302);
      assertThat(URI.create(under.baseUrl() + "/console").resolve(bare.header("Location")).getPath())
          .isEqualTo("/gw/console/");
      assertThat(Http.get(under.baseUrl() + "/console/").statusCode()).isEqualTo(200);
      assertThat(Http.get(under.baseUrl() + "/console/js/main.js").statusCode()).isEqualTo(200);
      String admin = URI.create(under.baseUrl() + "/console/").resolve("../admin/users").toString();
      assertThat(Http.get(admin, "Authorization", "Bearer admin-key-under-gw").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void thePageHasAStrictPolicyAndNeedsNoKey() {
    HttpResponse<String> page = Http.get(server.baseUrl() + "/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
        "frame-ancestors 'none'", "connect-src 'self'").doesNotContain("unsafe-inline", "unsafe-eval", "http:", "*");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.body()).contains("id=\"sign-in\"", "id=\"admin-key\"", "<label for=\"admin-key\"");
  }

  @Test
  void everyFileThePageLoadsIsServedWithItsType() {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    String page = Http.get(server.baseUrl() + "/console/").body();
    links(LINK, page).forEach(link -> todo.add(resolve("/console/", link)));
    while (!todo.isEmpty()) {
      String path = todo.pop();
      if (!seen.add(path)) {
        continue;
      }
      HttpResponse<String> file = Http.get(server.baseUrl() + path);
      assertThat(file.statusCode()).as(path).isEqualTo(200);
      String type = file.headers().firstValue("Content-Type").orElse("");
      if (path.endsWith(".js")) {
        assertThat(type).as(path).startsWith("text/javascript");
        links(IMPORT, file.body()).forEach(link -> todo.add(resolve(path, link)));
      } else if (path.endsWith(".css")) {
        assertThat(type).as(path).startsWith("text/css");
      }
      assertThat(file.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
    }
    assertThat(seen).contains("/console/js/main.js", "/console/js/views/keys.js", "/console/js/views/usage.js",
        "/console/js/views/logs.js", "/console/vendor/uPlot.iife.min.js", "/console/vendor/uPlot.min.css");
  }

  @Test
  void anUnchangedFileIsNotSentAgain() {
    HttpResponse<String> first = Http.get(server.baseUrl() + "/console/js/main.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = Http.get(server.baseUrl() + "/console/js/main.js", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void nothingOutsideTheListIsServedAndPathTricksAreRefused() {
    for (String path : List.of("/console/nope.js", "/console/WEB-INF/web.xml", "/console/js/",
        "/console/vendor/uPlot.esm.js", "/console/vendor/../vendor/LICENSE")) {
      RawHttp.Answer answer = RawHttp.send(server.baseUrl(), "GET", path, null);
      assertThat(answer.status()).as(path).isIn(400, 404);
      assertThat(answer.body()).as(path).startsWith("{\"error\":");
    }
    for (String path : List.of("/console/../admin/keys", "/console/%2e%2e/admin/keys", "/console;x=1/js/main.js",
        "/console/js/..%2F..%2Fadmin/keys", "/console//js/main.js")) {
      RawHttp.Answer answer = RawHttp.send(server.baseUrl(), "GET", path, null);
      assertThat(answer.status()).as(path).isEqualTo(400);
      assertThat(answer.body()).as(path).startsWith("{\"error\":").doesNotContain("\"keys\"");
    }
    RawHttp.Answer post = RawHttp.send(server.baseUrl(), "POST", "/console/", "x");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.body()).startsWith("{\"error\":");
  }

  /**
   * The rules the page's safety rests on, checked in its sources: no inline script, style or handler in the HTML
   * (the policy would block them anyway, breaking the page), and no way in the scripts to turn text into markup or
   * code, so everything shown is text.
   */
  @Test
  void theSourcesNeverTurnDataIntoMarkupOrCode() throws IOException {
    String html = Files.readString(SOURCES.resolve("index.html"));
    assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\sstyle=")
        .doesNotContainPattern("\\son[a-z]+=").doesNotContain("<style");
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path js : files.filter(f -> f.toString().endsWith(".js")).toList()) {
        String source = Files.readString(js);
        assertThat(source).as(js.toString()).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
            "document.write", "eval(", "new Function", "setAttribute('style'", "cssText", "localStorage",
            "document.cookie").doesNotContainPattern("\\bstyle\\s*:|style=");
      }
    }
  }

  private static List<String> links(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String resolve(String from, String link) {
    return URI.create("http://x" + from).resolve(link).getPath();
  }
}
