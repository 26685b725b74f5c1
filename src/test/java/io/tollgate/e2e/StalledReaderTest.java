package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.RequestLogRows;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading altogether is cut after WRITE_TIMEOUT: its upstream call is cancelled, no thread
 * waits on it meanwhile, and its request-log row says why.
 */
class StalledReaderTest {
  private static final String KEY = "sk-tollgate-stalled";
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws IOException {
    upstream = FakeUpstream.start();
    String yaml = BootstrapFiles.oneModelWithClient(upstream.baseUrl(), "stalled-reader", KEY);
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml, "READ_TIMEOUT", "300",
        "WRITE_TIMEOUT", String.valueOf(WRITE_TIMEOUT.toSeconds()), GatewayServer.CONNECTOR + "socket.txBufSize",
        "8192"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  @Test
  void aClientThatReadsNothingIsCutAfterTheWriteTimeoutAndItsUpstreamCancelled() throws Exception {
    upstream.reset();
    upstream.enqueue(FakeResponse.endless("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"" + "x".repeat(200) + "\"}}]}", Duration.ZERO));
    try (SlowClient client = SlowClient.ask(server.baseUrl(), KEY, "gpt-test", "req-stalled")) {
      long asked = System.nanoTime();
      upstream.takeRequest();
      // The socket fills within moments; from then on the write waits, and no thread waits with it.
      Thread.sleep(WRITE_TIMEOUT.toMillis() / 2);
      assertThat(SlowClient.blockedInWrites()).as("threads in a blocking write").isEmpty();
      assertThat(upstream.awaitClientDisconnect(WRITE_TIMEOUT.plusSeconds(5))).as("upstream cancelled").isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - asked);
      System.out.printf("stalled reader: upstream cancelled %d ms after the request (WRITE_TIMEOUT %d ms)%n",
          took.toMillis(), WRITE_TIMEOUT.toMillis());
      assertThat(took).isGreaterThanOrEqualTo(WRITE_TIMEOUT);
      assertThat(SlowClient.blockedInWrites()).as("threads in a blocking write").isEmpty();
    } // the client's close (a reset: bytes were left unread) ends the connection the gateway left to Tomcat
    Map<String, Object> row = new RequestLogRows(server.database()).await("req-stalled", Duration.ofSeconds(10));
    assertThat(String.valueOf(row.get("error"))).contains("client stopped reading");
    assertThat(row.get("status")).isEqualTo(200);
    // What the gateway took from the endless upstream: a few socket buffers' worth, not all it could read.
    assertThat(((Number) row.get("completion_tokens")).longValue()).as("tokens relayed").isLessThan(50_000);
  }
}
