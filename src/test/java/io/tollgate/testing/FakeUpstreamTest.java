package io.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeUpstreamTest {

  private final FakeUpstream upstream = FakeUpstream.start();
  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper mapper = new ObjectMapper();
  private final OpenApiSchemas schemas = OpenApiSchemas.load();

  @AfterEach
  void stop() {
    upstream.close();
  }

  @Test
  void defaultChatAnswerIsAValidChatCompletion() throws Exception {
    HttpResponse<String> response = post("/chat/completions", "{\"model\":\"m1\",\"messages\":[]}");

    assertThat(response.statusCode()).isEqualTo(200);
    schemas.assertValid("CreateChatCompletionResponse", response.body());
    JsonNode body = mapper.readTree(response.body());
    assertThat(body.path("model").asText()).isEqualTo("m1");
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(10);
    assertThat(upstream.awaitClientDisconnect(Duration.ofMillis(200))).isFalse();
  }

  @Test
  void defaultStreamSendsValidChunksThenUsageThenDone() throws Exception {
    HttpResponse<String> response = post("/chat/completions",
        "{\"model\":\"m1\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    List<String> data = dataLines(response.body());
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(data).hasSize(7).last().isEqualTo("[DONE]");
    data.subList(0, 6).forEach(chunk -> schemas.assertValid("CreateChatCompletionStreamResponse", chunk));
    StringBuilder text = new StringBuilder();
    data.subList(0, 5).forEach(chunk -> text.append(tree(chunk).at("/choices/0/delta/content").asText()));
    assertThat(text).hasToString("Hello fake");
    assertThat(tree(data.get(4)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(tree(data.get(5)).path("choices")).isEmpty();
    assertThat(tree(data.get(5)).at("/usage/completion_tokens").asInt()).isEqualTo(3);
    assertThat(upstream.awaitClientDisconnect(Duration.ofMillis(100))).isFalse();
  }

  @Test
  void otherDefaultAnswersMatchTheirSchemas() throws Exception {
    schemas.assertValid("CreateCompletionResponse", post("/completions", "{\"model\":\"m\"}").body());
    HttpResponse<String> embeddings = post("/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\"]}");
    schemas.assertValid("CreateEmbeddingResponse", embeddings.body());
    assertThat(tree(embeddings.body()).path("data")).hasSize(2);
    HttpResponse<String> models = client.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/models"))
        .build(), HttpResponse.BodyHandlers.ofString());
    schemas.assertValid("ListModelsResponse", models.body());
    HttpResponse<String> unknown = post("/nowhere", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    schemas.assertValid("ErrorResponse", unknown.body());
  }

  @Test
  void enqueuedResponsesComeFirstInOrder() throws Exception {
    upstream.enqueue(FakeResponse.json(429, "{\"error\":{}}").withHeader("Retry-After", "7"));

    HttpResponse<String> first = post("/chat/completions", "{}");
    HttpResponse<String> second = post("/chat/completions", "{}");

    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("retry-after")).hasValue("7");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void resetForgetsRequestsAndScript() throws Exception {
    upstream.enqueue(FakeResponse.json(500, "{}"));
    post("/models", "{}");

    upstream.reset();

    assertThat(upstream.requestCount()).isZero();
    assertThat(post("/chat/completions", "{}").statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().path()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void sseEventsArriveOneByOne() throws Exception {
    upstream.enqueue(FakeResponse.sse(List.of("a", "b", "c"), Duration.ofMillis(200)));

    List<Long> arrivals = new ArrayList<>();
    List<String> events = new ArrayList<>();
    try (BufferedReader reader = reader(streamPost("/chat/completions"))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("data: ")) {
          events.add(line.substring(6));
          arrivals.add(System.nanoTime());
        }
      }
    }

    assertThat(events).containsExactly("a", "b", "c");
    assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(0))).isGreaterThan(Duration.ofMillis(300));
  }

  @Test
  void dropAfterBreaksTheStreamAfterItsEvents() throws Exception {
    upstream.enqueue(FakeResponse.dropAfter(List.of("one", "two")));

    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = reader(streamPost("/chat/completions"))) {
      assertThatThrownBy(() -> {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      }).isInstanceOf(IOException.class);
    }

    assertThat(lines).containsSubsequence("data: one", "data: two");
  }

  @Test
  void takeRequestRecordsAChunkedBody() throws Exception {
    byte[] body = "{\"model\":\"chunky\"}".getBytes(StandardCharsets.UTF_8);
    client.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions?x=1"))
        .header("Authorization", "Bearer k")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .build(), HttpResponse.BodyHandlers.ofString());

    RecordedRequest request = upstream.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions?x=1");
    assertThat(request.headers())
        .containsEntry("transfer-encoding", "chunked")
        .containsEntry("authorization", "Bearer k");
    assertThat(request.json().path("model").asText()).isEqualTo("chunky");
  }

  @Test
  void takeRequestFailsWhenNothingArrived() {
    assertThatThrownBy(() -> upstream.takeRequest(Duration.ofMillis(100))).isInstanceOf(AssertionError.class);
  }

  @Test
  void endlessStreamNoticesTheClientLeaving() throws Exception {
    upstream.enqueue(FakeResponse.endless("{}", Duration.ofMillis(20)));

    InputStream body = streamPost("/chat/completions");
    BufferedReader reader = reader(body);
    assertThat(reader.readLine()).isEqualTo("data: {}");
    assertThat(upstream.awaitClientDisconnect(Duration.ofMillis(200))).isFalse();
    body.close();

    assertThat(upstream.awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void headersDelayTripsAClientTimeout() {
    upstream.enqueue(FakeResponse.json(200, "{}").withHeadersDelay(Duration.ofSeconds(2)));

    HttpRequest request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/models"))
        .timeout(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private InputStream streamPost(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
        HttpResponse.BodyHandlers.ofInputStream()).body();
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private static List<String> dataLines(String sse) {
    return sse.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
  }

  private JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
