package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stopped webapp leaves none of its threads behind: Tomcat reports one still running at undeploy as a likely
 * memory leak (it pins the webapp's class loader), as it did for the client watch, which lingered five seconds,
 * and as Micrometer's timers would with a pause detector (LatencyUtils' threads, never stopped).
 */
class StopLeavesNoThreadTest {
  @Test
  void theClientWatchThreadEndsWithTheWebapp() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start()) {
      Path yaml = Files.createTempFile("tollgate", ".yaml");
      Files.writeString(yaml, """
          providers:
            - {name: main, type: openai, base_url: %s, api_keys: [sk-upstream]}
          models:
            - {name: gpt-test, targets: [{provider: main, model: upstream-model}]}
          clients:
            - {name: stop-tests, key: sk-tollgate-stop}
          """.formatted(upstream.baseUrl()));
      upstream.enqueue(FakeResponse.json(200, """
          {"id":"c1","object":"chat.completion","created":1,"model":"upstream-model","choices":[{"index":0,
          "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"""));
      GatewayServer server = GatewayServer.startWithoutDatabase(Map.of("TOLLGATE_CONFIG", yaml.toString()));
      try {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer sk-tollgate-stop").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(watchThreadAlive()).as("the request was watched").isTrue();
      } finally {
        server.close();
      }
      long deadline = System.nanoTime() + 1_000_000_000L;
      while (watchThreadAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(watchThreadAlive()).as("tollgate-client-watch alive after the stop").isFalse();
      assertThat(Thread.getAllStackTraces().keySet()).as("the request's timers started no pause detector")
          .noneMatch(t -> t.isAlive() && t.getName().startsWith("SimplePauseDetectorThread"));
    }
  }

  private static boolean watchThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals("tollgate-client-watch"));
  }
}
