package io.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.CapturedLogs;
import io.tollgate.testing.GatewayServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway builds its token encodings at boot on a worker thread, before any request: the first request to count
 * tokens once built them itself while every other counting request waited.
 */
class TokenEncodingsWarmUpTest {
  private static final String LOGGER = TokenCounter.class.getName();

  @Test
  void theEncodingsAreBuiltAfterBootWithoutAnyRequest() throws Exception {
    try (CapturedLogs logs = CapturedLogs.attach(LOGGER);
        GatewayServer server = GatewayServer.start(Map.of("API_KEYS", "sk-tollgate-warm-up"))) {
      // A bound on the wait, not a timing assertion: the build takes about a second on an idle machine.
      long deadline = System.nanoTime() + 60_000_000_000L;
      List<CapturedLogs.Line> ready = logs.lines(LOGGER);
      while (ready.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        ready = logs.lines(LOGGER);
      }
      assertThat(ready).as("TokenCounter's lines, with no request sent to " + server.baseUrl())
          .extracting(CapturedLogs.Line::message).anyMatch(m -> m.startsWith("token encodings ready in "));
    }
  }
}
