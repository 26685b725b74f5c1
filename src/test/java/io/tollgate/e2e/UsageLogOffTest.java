package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.get;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.PrometheusText;
import io.tollgate.testing.RequestLogRows;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * USAGE_LOG=false turns off the database request log only: every request still gets its access-log line, and is
 * still counted in /metrics.
 */
class UsageLogOffTest {
  private static final String ACCESS = "tollgate.access";
  private static final String KEY = "sk-access-log-test";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static GatewayServer server;
  private static CapturedLogs logs;

  @BeforeAll
  static void start() {
    logs = CapturedLogs.attach(ACCESS);
    server = GatewayServer.start(Map.of("USAGE_LOG", "false", "API_KEYS", KEY));
  }

  @AfterAll
  static void stop() {
    try {
      server.close();
    } finally {
      logs.close();
    }
  }

  @Test
  void everyKindOfRequestIsLoggedWithoutARow() throws Exception {
    String url = server.baseUrl() + "/v1/chat/completions";
    assertThat(post(url, CHAT, "Authorization", bearer(KEY), "X-Request-Id", "access-chat").statusCode())
        .isEqualTo(200);
    StreamedChat.post(url, "{\"stream\":true," + CHAT.substring(1), "Authorization", bearer(KEY),
        "X-Request-Id", "access-stream");
    assertThat(post(url, CHAT, "X-Request-Id", "access-no-key").statusCode()).isEqualTo(401);
    assertThat(get(server.baseUrl() + "/healthz", "X-Request-Id", "access-health").statusCode()).isEqualTo(200);

    assertThat(awaitLine("access-chat").path("model").asText()).isEqualTo("echo");
    assertThat(awaitLine("access-stream").path("stream").asBoolean()).isTrue();
    assertThat(awaitLine("access-no-key").path("status").asInt()).isEqualTo(401);
    assertThat(awaitLine("access-health").path("path").asText()).isEqualTo("/healthz");
    assertThat(new RequestLogRows(server.database()).count()).isZero();

    PrometheusText metrics = PrometheusText.scrape(server.baseUrl());
    assertThat(metrics.value("tollgate_requests_total", "model", "echo", "provider", "echo", "dialect", "openai",
        "status", "200", "stream", "false")).isEqualTo(1);
    assertThat(metrics.value("tollgate_requests_total", "model", "echo", "provider", "echo", "dialect", "openai",
        "status", "200", "stream", "true")).isEqualTo(1);
    assertThat(metrics.value("tollgate_requests_total", "model", "unknown", "provider", "none", "dialect", "openai",
        "status", "401", "stream", "false")).isEqualTo(1);
    assertThat(metrics.value("tollgate_request_log_written_total")).isZero();
  }

  /** The line is written by the request-log writer, up to one linger (50 ms) after the response. */
  private static JsonNode awaitLine(String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      List<JsonNode> lines = logs.lines(ACCESS).stream().map(l -> json(l.message()))
          .filter(n -> n.path("request_id").asText().equals(requestId)).toList();
      if (!lines.isEmpty() || System.nanoTime() > deadline) {
        assertThat(lines).as("access-log lines of " + requestId).hasSize(1);
        return lines.get(0);
      }
      Thread.sleep(10);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
