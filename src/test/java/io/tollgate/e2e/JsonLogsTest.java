package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The gateway's log as JSON lines: each line one object, and the lines of a request, also those logged on the
 * upstream client's threads, carrying its request_id, trace_id and span_id; with LOG_DIR, the same in files.
 */
class JsonLogsTest {
  private static final String KEY = "sk-tollgate-json-logs-test";
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACEPARENT = "00-" + TRACE + "-b7ad6b7169203331-01";

  @Test
  void consoleLinesAreJsonWithTheMdcAsFields() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    OutputStreamAppender<?> console = (OutputStreamAppender<?>) context.getLogger("ROOT").getAppender("STDOUT");
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.tollgate.X"), Level.WARN,
        "request {} failed: \"{}\"", new IllegalStateException("boom"), new Object[] {"req-1", "a\nb"});
    MDC.put("request_id", "req-1");
    MDC.put("trace_id", TRACE);
    try {
      event.getMDCPropertyMap(); // taken now, as logback does when it logs
    } finally {
      MDC.clear();
    }
    @SuppressWarnings("unchecked")
    byte[] bytes = ((ch.qos.logback.core.encoder.Encoder<LoggingEvent>) console.getEncoder()).encode(event);
    String line = new String(bytes, StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").doesNotContain("\n{").hasLineCount(1);
    JsonNode json = Http.JSON.readTree(line);
    assertThat(json.path("message").asText()).isEqualTo("request req-1 failed: \"a\nb\"");
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger_name").asText()).isEqualTo("io.tollgate.X");
    assertThat(json.path("request_id").asText()).isEqualTo("req-1");
    assertThat(json.path("trace_id").asText()).isEqualTo(TRACE);
    assertThat(json.path("stack_trace").asText()).contains("IllegalStateException: boom");
    assertThat(json.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
  }

  @Test
  void logDirHoldsJsonLinesOfARequestWithItsIds() throws Exception {
    Path dir = Files.createTempDirectory("tollgate-logs").resolve("nested");
    try (FakeUpstream upstream = FakeUpstream.start()) {
      GatewayServer server = GatewayServer.start(Map.of("UPSTREAM_BASE_URL", upstream.baseUrl() + "/v1",
          "UPSTREAM_API_KEY", "sk-upstream", "API_KEYS", KEY, "RETRY_TIMES", "0", "USAGE_LINGER", "5ms",
          "LOG_DIR", dir.toString()));
      try {
        upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"upstream fell over\"}}"));
        HttpResponse<String> failed = Http.post(server.baseUrl() + "/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "Authorization",
            bearer(KEY), "X-Request-Id", "req-json-logs-1", "traceparent", TRACEPARENT);
        assertThat(failed.statusCode()).isEqualTo(502);

        JsonNode access = awaitLine(dir.resolve("tollgate-access.log"), "req-json-logs-1");
        assertThat(access.path("trace_id").asText()).isEqualTo(TRACE);
        assertThat(access.path("span_id").asText()).matches("[0-9a-f]{16}");
        assertThat(access.path("status").asInt()).isEqualTo(502);

        List<JsonNode> lines = jsonLines(dir.resolve("tollgate.log"));
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).startsWith("Tollgate "));
        JsonNode warning = lines.stream().filter(l -> l.path("message").asText().contains("failed upstream"))
            .findFirst().orElseThrow(() -> new AssertionError("no upstream failure line in " + lines));
        assertThat(warning.path("level").asText()).isEqualTo("WARN");
        assertThat(warning.path("thread_name").asText()).as("logged on an upstream client's thread")
            .doesNotStartWith("http-");
        assertThat(warning.path("request_id").asText()).isEqualTo("req-json-logs-1");
        assertThat(warning.path("trace_id").asText()).isEqualTo(TRACE);
        assertThat(warning.path("span_id").asText()).isEqualTo(access.path("span_id").asText());
      } finally {
        server.close();
      }
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(context.getLogger("ROOT").getAppender("FILE_tollgate")).as("detached on stop").isNull();
    assertThat(context.getLogger("tollgate.access").getAppender("FILE_tollgate-access")).isNull();
  }

  /** The access line naming this request, waiting for the writer; every line of the file must be one object. */
  private static JsonNode awaitLine(Path file, String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        for (JsonNode line : jsonLines(file)) {
          if (requestId.equals(line.path("request_id").asText())) {
            return line;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no access line for " + requestId + " in " + file);
  }

  static List<JsonNode> jsonLines(Path file) {
    List<JsonNode> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        JsonNode json = Http.JSON.readTree(line);
        assertThat(json.isObject()).as("one JSON object per line: %s", line).isTrue();
        out.add(json);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
