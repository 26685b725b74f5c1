package io.tollgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Sessions on /v1/messages, both on the path that forwards to an Anthropic upstream (claude-s) and on the one that
 * translates for an OpenAI upstream (gpt-s); a session keeps its dialect.
 */
class AnthropicSessionsTest extends SessionsFixture {

  @Test
  void aNativeAnswerIsStoredAndSentBackWithTheSystemPrompt() {
    upstream.enqueue(FakeResponse.json(200, fixture("anthropic/responses/text.anthropic.json")));
    HttpResponse<String> first = messages(KEY_A, "msg-plain", """
        {"model":"claude-s","max_tokens":50,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(first.statusCode()).isEqualTo(200);
    upstream.takeRequest();

    upstream.enqueue(FakeResponse.json(200, fixture("anthropic/responses/text.anthropic.json")));
    messages(KEY_A, "msg-plain", """
        {"model":"claude-s","max_tokens":50,"messages":[{"role":"user","content":"More"}]}""");
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.path("system").asText()).isEqualTo("Be brief.");
    assertThat(sent.path("messages")).isEqualTo(tree("""
        [{"role":"user","content":"Hi"},
         {"role":"assistant","content":[{"type":"text","text":"Hello! "},{"type":"text","text":"How can I help?"}]},
         {"role":"user","content":"More"}]"""));
    JsonNode stored = session(KEY_A, "msg-plain");
    assertThat(stored.path("dialect").asText()).isEqualTo("anthropic");
    assertThat(stored.path("system").asText()).isEqualTo("Be brief.");
    assertThat(stored.path("turns").asInt()).isEqualTo(2);
  }

  @Test
  void aNativeStreamIsStoredBeforeItsEnd() {
    upstream.enqueue(FakeResponse.rawEvents(anthropicEvents("text.sse"), Duration.ZERO));
    assertThat(firstStreamedAnswer("msg-stream", "claude-s")).isEqualTo(tree("""
        {"role":"assistant","content":[{"type":"text","text":"Hello there!"}]}"""));
  }

  @Test
  void aNativeStreamsToolCallsAreKeptWithTheirInput() {
    upstream.enqueue(FakeResponse.rawEvents(anthropicEvents("tool-call.sse"), Duration.ZERO));
    JsonNode content = firstStreamedAnswer("msg-tools", "claude-s").path("content");
    assertThat(content.get(0).path("type").asText()).isEqualTo("text");
    assertThat(content.get(1)).isEqualTo(tree("""
        {"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather",
         "input":{"city":"Paris","unit":"celsius"}}"""));
    assertThat(content.get(2).path("name").asText()).isEqualTo("get_time");
  }

  @Test
  void aTranslatedStreamIsStoredInAnthropicsDialectAndReachesTheOpenAiUpstream() {
    assertThat(firstStreamedAnswer("msg-translated", "gpt-s")).isEqualTo(tree("""
        {"role":"assistant","content":[{"type":"text","text":"Hello fake"}]}"""));

    messages(KEY_A, "msg-translated", """
        {"model":"gpt-s","max_tokens":50,"messages":[{"role":"user","content":"And?"}]}""");
    JsonNode sent = sentMessages();
    assertThat(sent).hasSize(3);
    assertThat(sent.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(sent.get(1).toString()).contains("Hello fake");
    assertThat(session(KEY_A, "msg-translated").path("messages").get(3)).isEqualTo(tree("""
        {"role":"assistant","content":[{"type":"text","text":"Hello from fake"}]}"""));
  }

  @Test
  void anUpstreamErrorEventStoresNothing() {
    upstream.enqueue(FakeResponse.rawEvents(anthropicEvents("error-overloaded.sse"), Duration.ZERO));
    messages(KEY_A, "msg-error", """
        {"model":"claude-s","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(read(KEY_A, "/v1/sessions/msg-error").statusCode()).isEqualTo(404);
  }

  @Test
  void aSessionKeepsItsDialect() {
    assertThat(chat(KEY_A, "msg-dialect", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Hi"}]}""").statusCode()).isEqualTo(200);
    HttpResponse<String> other = messages(KEY_A, "msg-dialect", """
        {"model":"claude-s","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(other.statusCode()).isEqualTo(409);
    JsonNode error = Http.json(other);
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/message").asText()).contains("openai dialect");
  }

  /** Streams a first turn; once the client has the whole stream, the stored answer (no wait: it must be there). */
  private static JsonNode firstStreamedAnswer(String session, String model) {
    HttpResponse<String> first = messages(KEY_A, session, "{\"model\":\"" + model + "\",\"max_tokens\":50,"
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(first.body()).contains("message_stop");
    upstream.takeRequest();
    return session(KEY_A, session).path("messages").get(1);
  }
}
