package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import io.tollgate.testing.NginxProxy;
import io.tollgate.testing.TestCertificates;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * nginx in front of the gateway, configured by deploy/nginx/tollgate.conf as it is (only its addresses and file
 * paths replaced), TLS included. nginx buffers proxied responses by default; streamed answers still reach the client
 * event by event because the gateway sends {@code X-Accel-Buffering: no}. A second nginx, the same site told to
 * ignore that header, shows what a client would get without it: every event at the end, which is how this test
 * would fail if the header went. Skipped where there is no nginx ({@code .ci/run} installs Debian's).
 */
@EnabledIf(value = "io.tollgate.testing.NginxProxy#installed", disabledReason = "no nginx on this machine")
class NginxStreamingTest extends UpstreamFixture {
  private static final Path EXAMPLE = Path.of("deploy/nginx/tollgate.conf");
  private static final Duration GAP = Duration.ofMillis(300);
  private static final int CHUNKS = 4; // then [DONE]: the upstream's events span 4 x 300 ms
  private static final long SCHEDULE_MILLIS = CHUNKS * GAP.toMillis();
  private static final int MAX_BODY_BYTES = 10 * 1024 * 1024; // the gateway's default
  static NginxProxy nginx;
  static NginxProxy ignoringTheHeader;
  static HttpClient client;

  @BeforeAll
  static void startNginx() throws Exception {
    Path dir = Files.createDirectories(Path.of("target/nginx-test")).toAbsolutePath();
    TestCertificates certs = TestCertificates.make(Files.createTempDirectory(dir, "certs"));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(certs.trustingServer())
        .connectTimeout(Duration.ofSeconds(5)).build();
    String example = Files.readString(EXAMPLE);
    Path site = Files.createTempDirectory(dir, "site");
    int port = NginxProxy.freePort();
    nginx = NginxProxy.start(site, runnable(example, port, site, certs), port);
    String control = replaceOnce(example, "proxy_pass http://tollgate;",
        "proxy_pass http://tollgate;\n        proxy_ignore_headers X-Accel-Buffering;");
    Path controlSite = Files.createTempDirectory(dir, "control");
    int controlPort = NginxProxy.freePort();
    ignoringTheHeader = NginxProxy.start(controlSite, runnable(control, controlPort, controlSite, certs), controlPort);
  }

  @AfterAll
  static void stopNginx() {
    if (ignoringTheHeader != null) {
      ignoringTheHeader.close();
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void aChatStreamArrivesEventByEventThroughNginxsDefaultBuffering() throws Exception {
    SseEvents events = stream(nginx, "/v1/chat/completions", chat(true, ""));
    assertThat(events.data()).hasSize(CHUNKS + 1);
    assertThat(events.last()).isEqualTo("[DONE]");
    assertSpreadOut(events);
    assertThat(upstream.takeRequest().headers().keySet()).as("nginx's X-Forwarded-* stop at the gateway")
        .noneMatch(name -> name.startsWith("x-forwarded"));
  }

  @Test
  void aMessagesStreamArrivesEventByEventThroughNginxsDefaultBuffering() throws Exception {
    String body = "{\"model\":\"gpt-test\",\"max_tokens\":50,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    SseEvents events = stream(nginx, "/v1/messages", body);
    assertThat(events.data()).hasSizeGreaterThanOrEqualTo(CHUNKS + 2);
    assertThat(events.last()).contains("\"message_stop\"");
    assertSpreadOut(events);
  }

  @Test
  void anNginxThatIgnoresTheHeaderHoldsEveryEventUntilTheEnd() throws Exception {
    SseEvents events = stream(ignoringTheHeader, "/v1/chat/completions", chat(true, ""));
    assertThat(events.data()).hasSize(CHUNKS + 1);
    long spread = events.arrivalMillis().get(CHUNKS) - events.arrivalMillis().get(0);
    assertThat(spread).as("buffered by nginx, the events arrive together").isLessThan(GAP.toMillis());
  }

  @Test
  void aBodyJustOverTheGatewaysLimitGetsTheGatewaysJson413NotNginxs() throws Exception {
    String body = chat(false, "") + " ".repeat(MAX_BODY_BYTES + 1 - chat(false, "").length());
    HttpResponse<String> r = client.send(request(nginx, "/v1/chat/completions", body),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Http.json(r).at("/error/message").asText()).isNotEmpty();
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void aKeyInTheQueryStringStaysOutOfNginxsAccessLog() throws Exception {
    HttpRequest get = HttpRequest.newBuilder(url(nginx, "/v1/models?api_key=" + KEY))
        .timeout(Duration.ofSeconds(30)).GET().build();
    assertThat(client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    String log = awaitLine(nginx, "access.log", "\"GET /v1/models HTTP/1.1\" 200");
    assertThat(log).doesNotContain(KEY, "api_key");
  }

  /** The upstream's events left it 300 ms apart; the client got them spread over at least half that time. */
  private static void assertSpreadOut(SseEvents events) {
    List<Long> at = events.arrivalMillis();
    long spread = at.get(at.size() - 1) - at.get(0);
    assertThat(spread).as("the first event arrived well before the last was sent; arrivals " + at)
        .isGreaterThan(SCHEDULE_MILLIS / 2);
  }

  private static SseEvents stream(NginxProxy proxy, String path, String body) throws Exception {
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < CHUNKS; i++) {
      payloads.add(ProxyStreamTest.chunkJson("part" + i));
    }
    payloads.add("[DONE]");
    upstream.enqueue(FakeResponse.sse(payloads, GAP));
    HttpResponse<InputStream> r = client.send(request(proxy, path, body), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    SseEvents events = SseEvents.read(r.body());
    assertThat(events.failure()).isNull();
    return events;
  }

  private static HttpRequest request(NginxProxy proxy, String path, String body) {
    return HttpRequest.newBuilder(url(proxy, path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", bearer(KEY)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static URI url(NginxProxy proxy, String path) {
    return URI.create("https://127.0.0.1:" + proxy.port() + path);
  }

  /** The example with this machine's addresses and files; any other edit would make it a different site. */
  private static String runnable(String example, int port, Path dir, TestCertificates certs) {
    String site = replaceOnce(example, "server 127.0.0.1:8080;",
        "server 127.0.0.1:" + URI.create(server.baseUrl()).getPort() + ";");
    site = replaceOnce(site, "listen 443 ssl;", "listen 127.0.0.1:" + port + " ssl;");
    site = replaceOnce(site, "/etc/ssl/certs/gateway.example.com.pem", certs.serverPem().toString());
    site = replaceOnce(site, "/etc/ssl/private/gateway.example.com.key", certs.serverKeyPem().toString());
    return replaceOnce(site, "/var/log/nginx/tollgate.access.log", dir.resolve("access.log").toString());
  }

  private static String replaceOnce(String text, String target, String replacement) {
    int at = text.indexOf(target);
    assertThat(at).as(EXAMPLE + " has " + target + " once").isNotNegative();
    assertThat(text.indexOf(target, at + 1)).as(EXAMPLE + " has " + target + " once").isNegative();
    return text.replace(target, replacement);
  }

  private static String awaitLine(NginxProxy proxy, String file, String line) throws InterruptedException {
    for (int i = 0; i < 50 && !proxy.log(file).contains(line); i++) {
      Thread.sleep(100); // nginx writes the line after the response went out
    }
    assertThat(proxy.log(file)).contains(line);
    return proxy.log(file);
  }
}
