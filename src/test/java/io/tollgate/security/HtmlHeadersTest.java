package io.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every HTML page the WAR serves carries the headers that keep a browser from running foreign script in it, framing
 * it, sniffing it or leaking its URL; everything else the WAR answers on the same paths is not HTML. The HTML pages
 * are /docs and the console (/console/, also as /console/index.html); the error page answers JSON.
 */
class HtmlHeadersTest {
  private static final String ADMIN = "admin-html-headers";
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = GatewayServer.start(Map.of("TOLLGATE_ADMIN_KEY", ADMIN));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<RawHttp.Answer> everyPage() {
    List<RawHttp.Answer> out = new ArrayList<>();
    for (String path : List.of("/", "/docs", "/docs/", "/DOCS", "/docs/index.html", "/docs/swagger-initializer.js",
        "/console", "/console/", "/console/index.html", "/error-page", "/openapi.json", "/healthz", "/health",
        "/no-such-page", "/v1/chat/completions", "/admin/keys", "/index.html", "/webjars/swagger-ui/")) {
      out.add(RawHttp.send(server.baseUrl(), "GET", path, null, "Accept", "text/html"));
      out.add(RawHttp.send(server.baseUrl(), "GET", path, null, "Accept", "text/html", "Authorization",
          "Bearer " + ADMIN));
    }
    return out;
  }

  private static boolean html(RawHttp.Answer a) {
    String type = a.header("Content-Type");
    return type != null && type.toLowerCase(Locale.ROOT).contains("html");
  }

  @Test
  void theDocsPageHasEveryHeader() {
    RawHttp.Answer docs = RawHttp.send(server.baseUrl(), "GET", "/docs", null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(html(docs)).isTrue();
    assertHeaders(docs);
  }

  @Test
  void theConsoleHasEveryHeaderAndNoInlineStyleEither() {
    RawHttp.Answer console = RawHttp.send(server.baseUrl(), "GET", "/console/", null);
    assertThat(console.status()).isEqualTo(200);
    assertHeaders(console);
    assertThat(console.header("Content-Security-Policy").replaceAll(".*style-src ([^;]*).*", "$1")).isEqualTo("'self'");
  }

  @Test
  void everyHtmlAnswerHasTheHeadersAndEveryOtherIsNotHtml() {
    List<RawHttp.Answer> answers = everyPage();
    assertThat(answers).filteredOn(HtmlHeadersTest::html).as("the docs page and the console's two names, with and "
        + "without a key").hasSize(6)
        .allSatisfy(HtmlHeadersTest::assertHeaders);
    assertThat(answers).filteredOn(a -> a.status() >= 400).as("refusals and the error page answer JSON")
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a.header("Content-Type")).as(a.body()).startsWith("application/json"));
  }

  private static void assertHeaders(RawHttp.Answer page) {
    String csp = page.header("Content-Security-Policy");
    assertThat(csp).contains("frame-ancestors 'none'").contains("default-src 'none'");
    String scripts = csp.replaceAll(".*script-src ([^;]*).*", "$1");
    assertThat(scripts).as("no inline or evaluated script").doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval").doesNotContain("*").doesNotContain("data:");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
  }
}
