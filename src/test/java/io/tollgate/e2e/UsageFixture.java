package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One gateway in front of one fake upstream that answers, in turn, as OpenAI, Anthropic or Gemini, with public model
 * names the seeded price table (V6) prices, and one it does not. Costs are checked against the seeded figures
 * written out here, not against the price table itself.
 */
abstract class UsageFixture {
  static final String KEY = "sk-tollgate-usage-test";
  static FakeUpstream upstream;
  static GatewayServer server;
  static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws IOException {
    upstream = FakeUpstream.start();
    String root = "http://127.0.0.1:" + upstream.port();
    Path yaml = Files.createTempFile("tollgate-usage", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: main
            type: openai
            base_url: %s
            api_key: sk-upstream
          - name: claude
            type: anthropic
            base_url: %s
            api_key: sk-ant-upstream
          - name: google
            type: gemini
            base_url: %s
            api_key: AIza-usage
          - name: az
            type: azure
            base_url: %s
            api_key: azure-key
            api_version: 2025-01-01-preview
          - name: local
            type: echo
        models:
          - name: gpt-4o-mini
            targets: [{provider: main, model: gpt-4o-mini-2024-07-18}]
          - name: gpt-4o
            targets: [{provider: main, model: gpt-4o}]
          - name: house-model
            targets: [{provider: main, model: some-local-llm}]
          - name: embedder
            targets: [{provider: main, model: text-embedding-3-small}]
          - name: claude-sonnet-4
            targets: [{provider: claude, model: claude-upstream}]
          - name: gemini-2.5-flash
            targets: [{provider: google, model: gemini-2.5-flash}]
          - name: azure-4o
            targets: [{provider: az, model: my-gpt-4o-deployment}]
          - name: echo
            targets: [{provider: local}]
        clients:
          - name: usage-tests
            key: %s
        """.formatted(upstream.baseUrl(), root, root, root, KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "0", "READ_TIMEOUT", "5"));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stopAll() {
    server.close();
    upstream.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.reset();
  }

  static HttpResponse<String> post(String path, String requestId, String body) {
    return Http.post(server.baseUrl() + path, body, "Authorization", bearer(KEY), "X-Request-Id", requestId,
        "anthropic-version", "2023-06-01");
  }

  static SseEvents stream(String path, String requestId, String body) throws Exception {
    var request = Http.builder(server.baseUrl() + path, "Authorization", bearer(KEY), "Content-Type",
        "application/json", "X-Request-Id", requestId, "anthropic-version", "2023-06-01")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<java.io.InputStream> r = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    return SseEvents.read(r.body());
  }

  static Map<String, Object> row(String requestId) {
    return rows.await(requestId, Duration.ofSeconds(10));
  }

  /** USD for these token counts at these prices per million tokens, as the seed states them. */
  static BigDecimal usd(long fresh, String inputPrice, long cached, String cachedPrice, long output,
      String outputPrice) {
    return new BigDecimal(inputPrice).multiply(BigDecimal.valueOf(fresh))
        .add(new BigDecimal(cachedPrice).multiply(BigDecimal.valueOf(cached)))
        .add(new BigDecimal(outputPrice).multiply(BigDecimal.valueOf(output)))
        .divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.HALF_UP);
  }

  /**
   * A streamed request sent over a raw socket whose answer is read until {@code dataLines} events arrived, after
   * which the client hangs up without reading the rest.
   */
  static void readSomeThenHangUp(String path, String requestId, String body, int dataLines) throws IOException {
    URI base = URI.create(server.baseUrl());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + KEY + "\r\nanthropic-version: 2023-06-01\r\nX-Request-Id: " + requestId
        + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      int seen = 0;
      String line;
      while (seen < dataLines && (line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          seen++;
        }
      }
      assertThat(seen).as("events read before hanging up").isEqualTo(dataLines);
    }
  }
}
