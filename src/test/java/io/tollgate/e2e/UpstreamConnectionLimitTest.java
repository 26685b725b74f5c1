package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MAX_CONNECTIONS caps the connections to one upstream; as many requests again wait for one, and the next gets a
 * 503 at once, in OpenAI's shape and without the HTTP client's internals in the message.
 */
class UpstreamConnectionLimitTest {
  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    upstream = FakeUpstream.start();
    server = GatewayServer.start(Map.of("UPSTREAM_BASE_URL", upstream.baseUrl(), "UPSTREAM_API_KEY", "sk-up",
        "API_KEYS", "[\"sk-limit\"]", "MAX_CONNECTIONS", "1", "READ_TIMEOUT", "5"));
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void beyondTheConnectionsAndTheQueueARequestGets503() throws Exception {
    String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    upstream.enqueue(FakeResponse.endless("{\"choices\":[]}", Duration.ofMillis(50)));
    CompletableFuture<HttpResponse<java.io.InputStream>> holding = Http.client().sendAsync(
        Http.builder(server.baseUrl() + "/v1/chat/completions", "Authorization", bearer("sk-limit"),
            "Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(holding.get().statusCode()).isEqualTo(200); // the one connection is now taken by a stream
    // Two more: one waits in the queue for the connection, the other finds the queue full.
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
        post(server.baseUrl() + "/v1/chat/completions", body, "Authorization", bearer("sk-limit")));
    CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() ->
        post(server.baseUrl() + "/v1/chat/completions", body, "Authorization", bearer("sk-limit")));
    HttpResponse<String> rejected = (HttpResponse<String>) CompletableFuture.anyOf(first, second)
        .get(10, TimeUnit.SECONDS);
    assertThat(rejected.statusCode()).isEqualTo(503);
    OpenApiSchemas.load().assertValid("ErrorResponse", rejected.body());
    assertThat(json(rejected).at("/error/message").asText())
        .contains("too many requests in flight").doesNotContain("HttpDestination");
    Thread.sleep(300);
    assertThat(first.isDone() && second.isDone()).as("the other one still waits for the connection").isFalse();
    holding.get().body().close();
  }
}
