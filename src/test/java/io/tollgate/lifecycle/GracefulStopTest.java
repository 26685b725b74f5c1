package io.tollgate.lifecycle;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping the webapp while a stream is open: the stream runs to its end within SHUTDOWN_GRACE, and its log row is
 * written before the writer and the pools close. A stream longer than the grace is cut when the grace ends.
 */
class GracefulStopTest {
  private static final String KEY = "sk-tollgate-graceful";
  private static final Duration GAP = Duration.ofMillis(150);
  private static final int EVENTS = 12;

  private TestDatabase db;
  private FakeUpstream upstream;
  private GatewayServer server;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    upstream = FakeUpstream.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
    db.close();
  }

  @Test
  void anOpenStreamFinishesAndIsLoggedBeforeTheWebappStops() throws Exception {
    server = GatewayServer.startOn(db, settings("20s"));
    upstream.enqueue(FakeResponse.sse(deltas(), GAP));
    CompletableFuture<HttpResponse<String>> stream = Http.client().sendAsync(streamRequest(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(upstream.takeRequest()).as("the stream reached the upstream").isNotNull();
    long stopStart = System.nanoTime();
    server.context().stop();
    long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);

    HttpResponse<String> answer = stream.get(10, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).as("every event, then the end").contains("\"content\":\"d" + (EVENTS - 1) + "\"")
        .contains("data: [DONE]");
    assertThat(stopMillis).as("the stop waited for the stream").isGreaterThan(GAP.toMillis() * EVENTS / 2);
    String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
    Map<String, Object> row = new RequestLogRows(db).find(id).orElseThrow(
        () -> new AssertionError("the stream's row was not written before the stop ended"));
    assertThat(row.get("status")).isEqualTo(200);
  }

  @Test
  void aStreamLongerThanTheGraceIsCutWhenTheGraceEnds() throws Exception {
    server = GatewayServer.startOn(db, settings("1s"));
    upstream.enqueue(FakeResponse.endless("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
        Duration.ofMillis(100)));
    CompletableFuture<HttpResponse<String>> stream = Http.client().sendAsync(streamRequest(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(upstream.takeRequest()).isNotNull();
    long stopStart = System.nanoTime();
    server.context().stop();
    long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
    assertThat(stopMillis).as("the stop waited the grace, not for ever").isBetween(900L, 15_000L);
    assertThat(stream).as("the client is not left hanging").succeedsWithin(Duration.ofSeconds(15));
  }

  private HttpRequest streamRequest() {
    return Http.builder(server.baseUrl() + "/v1/chat/completions", "Authorization", bearer(KEY),
            "Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  private static List<String> deltas() {
    return IntStream.range(0, EVENTS).mapToObj(i -> "{\"id\":\"c\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1,\"model\":\"up\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"d" + i + "\"},"
        + "\"finish_reason\":null}]}").toList();
  }

  private Map<String, String> settings(String grace) throws Exception {
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: main, type: openai, base_url: %s, api_keys: [sk-upstream]}
        models:
          - {name: slow, targets: [{provider: main, model: up}]}
        clients:
          - {name: graceful, key: %s}
        """.formatted(upstream.baseUrl(), KEY));
    return Map.of("TOLLGATE_CONFIG", yaml.toString(), "SHUTDOWN_GRACE", grace);
  }
}
