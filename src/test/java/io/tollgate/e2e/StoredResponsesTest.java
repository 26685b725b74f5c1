package io.tollgate.e2e;

import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stored responses: {@code store} (on by default) keeps a response for the key that made it, which can read it
 * (GET /v1/responses/{id}), delete it and continue it with {@code previous_response_id}; another key, an expired
 * response and {@code store: false} all leave nothing to find. The official openai-java SDK is the client; the fake
 * upstream records the chat messages each continuation became.
 */
class StoredResponsesTest {
  private static final OpenApiSchemas SCHEMAS = OpenApiSchemas.load();
  private static final String ALICE = "sk-tollgate-alice-responses";
  private static final String BOB = "sk-tollgate-bob-responses";
  private static final String STATIC_ONE = "sk-static-responses-one";
  private static final String STATIC_TWO = "sk-static-responses-two";
  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", config(upstream, """
        clients:
          - name: alice
            key: %s
          - name: bob
            key: %s
        """.formatted(ALICE, BOB)).toString(), "RETRY_TIMES", "0", "API_KEYS", STATIC_ONE + "," + STATIC_TWO, "CACHE_SHARED", "true"));
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

  /** A config file with model gpt-test on the fake upstream's OpenAI API, and {@code more} after it. */
  static Path config(FakeUpstream upstream, String more) throws java.io.IOException {
    Path yaml = Files.createTempFile("tollgate-stored-responses", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: oai
            type: openai
            base_url: %s/v1
            api_key: sk-upstream
        models:
          - name: gpt-test
            targets: [{provider: oai, model: gpt-upstream}]
        """.formatted(upstream.baseUrl()) + more);
    return yaml;
  }

  private static OpenAIClient sdk(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey(key).maxRetries(0).build();
  }

  private static String text(Response r) {
    return r.output().stream().flatMap(i -> i.message().stream()).flatMap(m -> m.content().stream())
        .flatMap(c -> c.outputText().stream()).map(t -> t.text()).collect(Collectors.joining());
  }

  /** Each chat message the upstream got, as "role: text". */
  private static List<String> sentMessages() {
    List<String> out = new ArrayList<>();
    for (JsonNode m : upstream.takeRequest().json().path("messages")) {
      out.add(m.path("role").asText() + ": " + m.path("content").asText());
    }
    return out;
  }

  private static HttpResponse<String> get(String path, String key) {
    return Http.get(server.baseUrl() + path, "Authorization", Http.bearer(key));
  }

  private static void assertNotFound(HttpResponse<String> r, String param) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    SCHEMAS.assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(json(r).at("/error/message").asText()).contains("not found");
    assertThat(json(r).at("/error/param").isNull() ? null : json(r).at("/error/param").asText()).isEqualTo(param);
  }

  @Test
  void theSdkStoresReadsContinuesAndDeletesAResponse() {
    OpenAIClient alice = sdk(ALICE);
    Response first = alice.responses().create(ResponseCreateParams.builder().model("gpt-test")
        .instructions("Be brief").input("Say hello").build());
    assertThat(sentMessages()).containsExactly("system: Be brief", "user: Say hello");

    HttpResponse<String> read = get("/v1/responses/" + first.id(), ALICE);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    SCHEMAS.assertValid("Response", read.body());
    assertThat(json(read).path("id").asText()).isEqualTo(first.id());
    assertThat(json(read).path("store").asBoolean()).isTrue();
    Response retrieved = alice.responses().retrieve(first.id());
    assertThat(text(retrieved)).isEqualTo("Hello from fake");
    for (String path : List.of("/responses/", "/api/v1/responses/")) {
      assertThat(get(path + first.id(), ALICE).statusCode()).as(path).isEqualTo(200);
    }

    Response second = alice.responses().create(ResponseCreateParams.builder().model("gpt-test")
        .input("And again?").previousResponseId(first.id()).build());
    assertThat(second.previousResponseId()).contains(first.id());
    assertThat(sentMessages()).as("the earlier input and output first; its instructions do not carry over")
        .containsExactly("user: Say hello", "assistant: Hello from fake", "user: And again?");

    alice.responses().create(ResponseCreateParams.builder().model("gpt-test").instructions("New rules")
        .input("Once more").previousResponseId(second.id()).build());
    assertThat(sentMessages()).as("the whole chain, with this request's instructions").containsExactly(
        "system: New rules", "user: Say hello", "assistant: Hello from fake", "user: And again?",
        "assistant: Hello from fake", "user: Once more");

    alice.responses().delete(first.id());
    assertNotFound(get("/v1/responses/" + first.id(), ALICE), null);
    assertThatThrownBy(() -> alice.responses().retrieve(first.id())).isInstanceOf(NotFoundException.class);
    assertThat(get("/v1/responses/" + second.id(), ALICE).statusCode()).as("the continuation stays")
        .isEqualTo(200);
  }

  @Test
  void aToolResultContinuesTheResponseThatCalledTheTool() {
    upstream.enqueue(FakeResponse.json(200, FixtureFiles.text("inbound/responses", "tool-calls.openai.json")));
    HttpResponse<String> called = post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"Weather in Paris?\","
        + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}");
    JsonNode call = json(called).path("output").findParent("call_id");
    assertThat(call.path("type").asText()).as(called.body()).isEqualTo("function_call");
    upstream.takeRequest();
    HttpResponse<String> next = post(ALICE, "{\"model\":\"gpt-test\",\"previous_response_id\":\""
        + json(called).path("id").asText() + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\""
        + call.path("call_id").asText() + "\",\"output\":\"18C\"}]}");
    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    JsonNode messages = upstream.takeRequest().json().path("messages");
    assertThat(messages.get(0).path("content").asText()).isEqualTo("Weather in Paris?");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(1).at("/tool_calls/0/id").asText()).isEqualTo(call.path("call_id").asText());
    assertThat(messages.get(1).at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    JsonNode result = messages.get(messages.size() - 1);
    assertThat(result.path("role").asText()).isEqualTo("tool");
    assertThat(result.path("tool_call_id").asText()).isEqualTo(call.path("call_id").asText());
    assertThat(result.path("content").asText()).isEqualTo("18C");
  }

  @Test
  void anotherKeyFindsNothing() {
    String id = json(post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"Mine\"}")).path("id").asText();
    upstream.reset();
    assertNotFound(get("/v1/responses/" + id, BOB), null);
    HttpResponse<String> deleted = Http.delete(server.baseUrl() + "/v1/responses/" + id, "Authorization",
        Http.bearer(BOB));
    assertNotFound(deleted, null);
    HttpResponse<String> continued = post(BOB, "{\"model\":\"gpt-test\",\"input\":\"Yours?\","
        + "\"previous_response_id\":\"" + id + "\"}");
    assertNotFound(continued, "previous_response_id");
    assertThatThrownBy(() -> sdk(BOB).responses().retrieve(id)).isInstanceOf(NotFoundException.class);
    assertThat(upstream.requestCount()).as("nothing went upstream").isZero();
    assertThat(get("/v1/responses/" + id, ALICE).statusCode()).as("still there for its owner").isEqualTo(200);
  }

  @Test
  void keysFromApiKeysOwnTheirResponsesByTheirHash() {
    String id = json(post(STATIC_ONE, "{\"model\":\"gpt-test\",\"input\":\"Static\"}")).path("id").asText();
    assertThat(get("/v1/responses/" + id, STATIC_ONE).statusCode()).isEqualTo(200);
    assertNotFound(get("/v1/responses/" + id, STATIC_TWO), null);
    assertNotFound(get("/v1/responses/" + id, ALICE), null);
    assertThat(stored(id, "key_hash")).hasSize(64).doesNotContain(STATIC_ONE);
  }

  @Test
  void storeFalseKeepsNothing() {
    HttpResponse<String> r = post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"Forget me\",\"store\":false}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("store").asBoolean(true)).isFalse();
    String id = json(r).path("id").asText();
    assertNotFound(get("/v1/responses/" + id, ALICE), null);
    assertThat(stored(id, "id")).isNull();
  }

  @Test
  void aStreamIsStoredAsItsCompletedResponse() {
    Response done;
    try (StreamResponse<ResponseStreamEvent> stream = sdk(ALICE).responses().createStreaming(
        ResponseCreateParams.builder().model("gpt-test").input("Stream it").build())) {
      List<ResponseStreamEvent> events = stream.stream().toList();
      done = events.get(events.size() - 1).completed().orElseThrow().response();
    }
    HttpResponse<String> read = get("/v1/responses/" + done.id(), ALICE);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    SCHEMAS.assertValid("Response", read.body());
    assertThat(json(read).path("status").asText()).isEqualTo("completed");
    assertThat(json(read).at("/output/0/content/0/text").asText()).isEqualTo("Hello fake");
    upstream.reset();
    sdk(ALICE).responses().create(ResponseCreateParams.builder().model("gpt-test").input("Next")
        .previousResponseId(done.id()).build());
    assertThat(sentMessages()).containsExactly("user: Stream it", "assistant: Hello fake", "user: Next");
  }

  @Test
  void aCachedAnswerReplayedKeepsItsOneStoredResponse() {
    String body = "{\"model\":\"gpt-test\",\"input\":\"Cache me\",\"temperature\":0}";
    HttpResponse<String> first = post(ALICE, body);
    HttpResponse<String> again = post(ALICE, body);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.headers().firstValue("x-tollgate-cache")).contains("hit");
    String id = json(first).path("id").asText();
    assertThat(json(again).path("id").asText()).isEqualTo(id);
    assertThat(upstream.requestCount()).isEqualTo(1);
    assertThat(get("/v1/responses/" + id, ALICE).statusCode()).isEqualTo(200);
  }

  @Test
  void aSharedCacheNeverHandsAnotherKeyAStoredResponseItCannotRead() {
    String stored = "{\"model\":\"gpt-test\",\"input\":\"Shared question\",\"temperature\":0}";
    String alices = json(post(ALICE, stored)).path("id").asText();
    HttpResponse<String> bobs = post(BOB, stored);
    assertThat(bobs.headers().firstValue("x-tollgate-cache")).contains("miss");
    assertThat(upstream.requestCount()).as("CACHE_SHARED does not share kept responses").isEqualTo(2);
    String bobsId = json(bobs).path("id").asText();
    assertThat(bobsId).isNotEqualTo(alices);
    assertThat(get("/v1/responses/" + bobsId, BOB).statusCode()).isEqualTo(200);
    assertThat(get("/v1/responses/" + alices, ALICE).statusCode()).isEqualTo(200);

    String unstored = "{\"model\":\"gpt-test\",\"input\":\"Shared, not kept\",\"temperature\":0,"
        + "\"store\":false}";
    post(ALICE, unstored);
    assertThat(post(BOB, unstored).headers().firstValue("x-tollgate-cache")).as("nothing kept: shared")
        .contains("hit");
    assertThat(upstream.requestCount()).isEqualTo(3);
  }

  @Test
  void anExpiredResponseIsGone() throws Exception {
    String id = json(post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"Old\"}")).path("id").asText();
    try (Connection c = server.database().connect(); PreparedStatement s = c.prepareStatement(
        "update stored_responses set expires_at = now() - interval '1 second' where id = ?")) {
      s.setString(1, id);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    assertNotFound(get("/v1/responses/" + id, ALICE), null);
    upstream.reset();
    assertNotFound(post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"x\",\"previous_response_id\":\"" + id + "\"}"),
        "previous_response_id");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void anUnknownOrMalformedPreviousIdIsRefused() {
    assertNotFound(post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"x\",\"previous_response_id\":\"resp_none\"}"),
        "previous_response_id");
    HttpResponse<String> r = post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"x\",\"previous_response_id\":7}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/param").asText()).isEqualTo("previous_response_id");
    assertNotFound(Http.delete(server.baseUrl() + "/v1/responses/resp_none", "Authorization", Http.bearer(ALICE)),
        null);
  }

  @Test
  void aDeleteAnswersOpenAisShape() {
    String id = json(post(ALICE, "{\"model\":\"gpt-test\",\"input\":\"Delete me\"}")).path("id").asText();
    HttpResponse<String> r = Http.delete(server.baseUrl() + "/v1/responses/" + id, "Authorization",
        Http.bearer(ALICE));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r)).isEqualTo(Http.JSON.createObjectNode().put("id", id).put("object", "response")
        .put("deleted", true));
    assertNotFound(Http.delete(server.baseUrl() + "/v1/responses/" + id, "Authorization", Http.bearer(ALICE)),
        null);
  }

  private static HttpResponse<String> post(String key, String body) {
    return Http.post(server.baseUrl() + "/v1/responses", body, "Authorization", Http.bearer(key));
  }

  /** A column of the stored row, or null when there is none. */
  private static String stored(String id, String column) {
    try (Connection c = server.database().connect(); PreparedStatement s = c.prepareStatement(
        "select " + column + " from stored_responses where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
