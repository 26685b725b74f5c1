package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  private static final Instant TIME = Instant.parse("2026-11-22T10:15:30.123Z");

  @Test
  void aFullLineHasEveryFieldInItsOrder() {
    UsageEvent e = new UsageEvent(TIME, "req-1", 7L, "ci", "POST", "/v1/chat/completions", "chat", "main",
        "deepseek-chat", true, 200, 120, 35L, 10, 20, "client closed the connection");
    assertThat(AccessLog.line(e)).isEqualTo("{\"ts\":\"2026-11-22T10:15:30.123Z\",\"request_id\":\"req-1\","
        + "\"method\":\"POST\",\"path\":\"/v1/chat/completions\",\"status\":200,\"ms\":120,\"ttfb_ms\":35,"
        + "\"key\":\"ci\",\"model\":\"chat\",\"provider\":\"main\",\"upstream_model\":\"deepseek-chat\","
        + "\"stream\":true,\"prompt_tokens\":10,\"completion_tokens\":20,\"error\":\"client closed the connection\"}");
  }

  @Test
  void unknownNamesAreNullAndMissingNumbersAreLeftOut() {
    UsageEvent e = new UsageEvent(TIME, "req-2", null, null, "GET", "/healthz", null, null, null, false, 200, 1,
        null, null, null, null);
    assertThat(AccessLog.line(e)).isEqualTo("{\"ts\":\"2026-11-22T10:15:30.123Z\",\"request_id\":\"req-2\","
        + "\"method\":\"GET\",\"path\":\"/healthz\",\"status\":200,\"ms\":1,\"key\":null,\"model\":null,"
        + "\"provider\":null,\"upstream_model\":null,\"stream\":false}");
  }

  @Test
  void clientTextIsEscaped() {
    UsageEvent e = new UsageEvent(TIME, "req-\"3\"", null, null, "POST", "/v1/x\ny", "a\\b", null, null, false,
        400, 2, null, null, null, "bad \"model\"\n");
    assertThat(AccessLog.line(e)).contains("\"request_id\":\"req-\\\"3\\\"\"", "\"path\":\"/v1/x\\ny\"",
        "\"model\":\"a\\\\b\"", "\"error\":\"bad \\\"model\\\"\\n\"");
  }
}
