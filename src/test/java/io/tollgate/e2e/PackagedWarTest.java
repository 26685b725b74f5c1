package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.FakeCollector;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.testing.PrometheusText;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WAR that `mvn package` built, deployed as a container would deploy it: only its own WEB-INF/lib and
 * WEB-INF/classes next to Tomcat's. Run by failsafe after the package phase (system property tollgate.war).
 */
class PackagedWarTest {
  private static final String KEY = "sk-tollgate-packaged-war";
  private static final String CHAT =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"from the war\"}]}";
  private static Path war;
  private static FakeCollector collector;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws IOException {
    war = Path.of(System.getProperty("tollgate.war", "target/tollgate.war"));
    assertThat(war).as("run `mvn verify`: the WAR is built in the package phase").isRegularFile();
    String yaml = BootstrapFiles.echoWithClient("war", KEY);
    collector = FakeCollector.start();
    server = GatewayServer.startWar(war, "/gateway", Map.of("TOLLGATE_CONFIG", yaml,
        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "20"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  /** The SDK finds its JDK HttpClient sender among the WAR's own libraries, and only there. */
  @Test
  void spansLeaveThroughTheWarsOwnExporter() {
    String trace = "0af7651916cd43dd8448eb211c80319c";
    assertThat(post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(KEY),
        "traceparent", "00-" + trace + "-b7ad6b7169203331-01").statusCode()).isEqualTo(200);
    FakeCollector.Received span = collector.await(s -> s.traceId().equals(trace), Duration.ofSeconds(10))
        .orElseThrow(() -> new AssertionError("no span reached the collector"));
    assertThat(span.parentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(span.span().getName()).as("the path below the context path").isEqualTo("POST /v1/chat/completions");
  }

  @Test
  void healthAnswers() {
    HttpResponse<String> health = get(server.baseUrl() + "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("status").asText()).isEqualTo("ok");
  }

  @Test
  void chatAnswersWithTheBootstrapKey() {
    HttpResponse<String> r = post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("from the war");
    assertThat(post(server.baseUrl() + "/v1/chat/completions", CHAT).statusCode()).isEqualTo(401);
  }

  @Test
  void streamedChatAnswers() {
    StreamedChat out = StreamedChat.post(server.baseUrl() + "/v1/chat/completions",
        CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""), "Authorization", bearer(KEY));
    assertThat(out.text()).isEqualTo("from the war");
  }

  /** Swagger UI's files come from the WebJar in the WAR's WEB-INF/lib, with nothing on the test's class path. */
  @Test
  void apiDocsAnswerFromTheWar() {
    HttpResponse<String> doc = get(server.baseUrl() + "/openapi.json");
    assertThat(doc.statusCode()).isEqualTo(200);
    assertThat(json(doc).at("/servers/0/url").asText()).isEqualTo(server.baseUrl());
    HttpResponse<String> page = get(server.baseUrl() + "/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher bundle = Pattern.compile("src=\"(webjars/swagger-ui/[^\"]+/swagger-ui-bundle\\.js)\"")
        .matcher(page.body());
    assertThat(bundle.find()).as(page.body()).isTrue();
    HttpResponse<String> js = get(server.baseUrl() + "/" + bundle.group(1));
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(js.body()).contains("SwaggerUIBundle");
  }

  @Test
  void metricsAnswerFromTheWarsOwnLibraries() throws InterruptedException {
    assertThat(post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(KEY)).statusCode())
        .isEqualTo(200);
    long deadline = System.nanoTime() + 10_000_000_000L; // counted by the log writer, a linger after the answer
    PrometheusText metrics = PrometheusText.scrape(server.baseUrl());
    while (metrics.sum("tollgate_requests_total", "model", "echo") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      metrics = PrometheusText.scrape(server.baseUrl());
    }
    assertThat(metrics.sum("tollgate_requests_total", "model", "echo", "dialect", "openai", "status", "200"))
        .isPositive();
    assertThat(metrics.families()).contains("jvm_memory_used_bytes", "hikaricp_connections_active",
        "tollgate_request_duration_seconds");
  }

  @Test
  void theWarLeavesTheServletApiToTheContainer() throws IOException {
    try (ZipFile zip = new ZipFile(war.toFile())) {
      List<String> libs = zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/")).toList();
      assertThat(libs).as("the WAR's libraries").isNotEmpty()
          .noneMatch(n -> n.contains("servlet-api"))
          .noneMatch(n -> n.contains("tomcat-") || n.contains("jetty-server"))
          .noneMatch(n -> n.contains("okhttp") || n.contains("kotlin"))
          .anyMatch(n -> n.contains("opentelemetry-exporter-sender-jdk"));
      assertThat(zip.getEntry("WEB-INF/web.xml")).isNotNull();
      assertThat(zip.getEntry("WEB-INF/classes/io/tollgate/GatewayBootstrap.class")).isNotNull();
      // The containers' side (target/tollgate-container.jar), which only their own class path can use.
      assertThat(zip.stream().map(ZipEntry::getName)).noneMatch(n -> n.contains("io/tollgate/container/"));
    }
  }
}
