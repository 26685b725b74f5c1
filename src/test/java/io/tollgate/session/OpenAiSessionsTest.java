package io.tollgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions on /v1/chat/completions: plain and streamed turns, a resent conversation, failures that store nothing. */
class OpenAiSessionsTest extends SessionsFixture {

  @Test
  void theNextTurnGetsTheStoredHistoryWithTheSystemMessageAndTheAnswer() {
    HttpResponse<String> first = chat(KEY_A, "chat-plain", """
        {"model":"gpt-s","messages":[{"role":"system","content":"Be brief."},
          {"role":"user","content":"I am Ann."}]}""");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(sentMessages()).hasSize(2);

    HttpResponse<String> second = chat(KEY_A, "chat-plain", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Who am I?"}]}""");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(sentMessages()).isEqualTo(tree("""
        [{"role":"system","content":"Be brief."},{"role":"user","content":"I am Ann."},
         {"role":"assistant","content":"Hello from fake"},{"role":"user","content":"Who am I?"}]"""));

    JsonNode stored = session(KEY_A, "chat-plain");
    assertThat(stored.path("id").asText()).isEqualTo("chat-plain");
    assertThat(stored.path("dialect").asText()).isEqualTo("openai");
    assertThat(stored.path("system")).isEqualTo(tree("[{\"role\":\"system\",\"content\":\"Be brief.\"}]"));
    assertThat(stored.path("messages")).hasSize(4);
    assertThat(stored.path("messages").get(1))
        .isEqualTo(tree("{\"role\":\"assistant\",\"content\":\"Hello from fake\"}"));
    assertThat(stored.path("turns").asInt()).isEqualTo(2);
    assertThat(stored.path("tokens").asInt()).isPositive();
    assertThat(stored.path("expires_at").asText()).isGreaterThan(stored.path("updated_at").asText());
    assertThat(read(KEY_A, "/context/chat-plain").body()).isEqualTo(read(KEY_A, "/v1/sessions/chat-plain").body());
  }

  @Test
  void aStreamedAnswerIsStoredBeforeTheStreamEnds() {
    HttpResponse<String> first = chat(KEY_A, "chat-stream", """
        {"model":"gpt-s","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(data(first.body())).last().isEqualTo("[DONE]");
    upstream.takeRequest();
    // The client has its [DONE], so the answer must already be there: no wait.
    assertThat(session(KEY_A, "chat-stream").path("messages")).isEqualTo(tree("""
        [{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello fake"}]"""));

    chat(KEY_A, "chat-stream", """
        {"model":"gpt-s","stream":true,"messages":[{"role":"user","content":"Again"}]}""");
    assertThat(sentMessages()).isEqualTo(tree("""
        [{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello fake"},
         {"role":"user","content":"Again"}]"""));
  }

  @Test
  void streamedToolCallsAreKept() {
    upstream.enqueue(FakeResponse.sse(List.of(
        chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}"),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}"),
        "[DONE]"), java.time.Duration.ZERO));
    assertThat(chat(KEY_A, "chat-tools", """
        {"model":"gpt-s","stream":true,"messages":[{"role":"user","content":"Weather?"}]}""").statusCode())
        .isEqualTo(200);
    assertThat(session(KEY_A, "chat-tools").path("messages").get(1)).isEqualTo(tree("""
        {"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"weather",
         "arguments":"{\\"city\\":\\"Oslo\\"}"},"id":"call_1"}]}"""));
  }

  @Test
  void aClientThatResendsTheWholeConversationGetsNothingAddedTwice() {
    chat(KEY_A, "chat-resend", """
        {"model":"gpt-s","messages":[{"role":"user","content":"One"}]}""");
    upstream.takeRequest();
    // As an SDK sends the answer back: with the null fields it read.
    chat(KEY_A, "chat-resend", """
        {"model":"gpt-s","messages":[{"role":"user","content":"One"},
          {"role":"assistant","content":"Hello from fake","refusal":null},{"role":"user","content":"Two"}]}""");
    assertThat(sentMessages()).isEqualTo(tree("""
        [{"role":"user","content":"One"},{"role":"assistant","content":"Hello from fake","refusal":null},
         {"role":"user","content":"Two"}]"""));
    JsonNode stored = session(KEY_A, "chat-resend").path("messages");
    assertThat(stored).hasSize(4);
    assertThat(stored.get(2).path("content").asText()).isEqualTo("Two");
  }

  @Test
  void aFailedAnswerOrACutStreamStoresNothing() {
    chat(KEY_A, "chat-fail", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Kept"}]}""");
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    assertThat(chat(KEY_A, "chat-fail", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Lost"}]}""").statusCode()).isEqualTo(502);
    upstream.enqueue(FakeResponse.dropAfter(List.of(chunk("{\"role\":\"assistant\",\"content\":\"Half\"}"))));
    chat(KEY_A, "chat-fail", """
        {"model":"gpt-s","stream":true,"messages":[{"role":"user","content":"Cut"}]}""");

    assertThat(session(KEY_A, "chat-fail").path("messages")).isEqualTo(tree("""
        [{"role":"user","content":"Kept"},{"role":"assistant","content":"Hello from fake"}]"""));
  }

  @Test
  void embeddingsIgnoreTheHeader() {
    HttpResponse<String> r = Http.post(server.baseUrl() + "/v1/embeddings", """
        {"model":"gpt-s","input":"x"}""", "Authorization", io.tollgate.testing.Http.bearer(KEY_A),
        "X-Session-Id", "emb-1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(read(KEY_A, "/v1/sessions/emb-1").statusCode()).isEqualTo(404);
  }

  private static String chunk(String delta) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
  }
}
