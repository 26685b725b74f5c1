package io.tollgate.session;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Who may see a session, which ids and callers are refused, the turn and token limits, and expiry. */
class SessionRulesTest extends SessionsFixture {

  @Test
  void aSessionBelongsToTheKeyThatMadeIt() {
    chat(KEY_A, "owned", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Secret of A"}]}""");
    upstream.takeRequest();

    assertThat(read(KEY_B, "/v1/sessions/owned").statusCode()).isEqualTo(404);
    assertThat(read(KEY_B, "/context/owned").statusCode()).isEqualTo(404);
    assertThat(read(KEY_B, "/api/v1/sessions/owned").statusCode()).isEqualTo(404);
    assertThat(read(KEY_B, "/sessions/owned").statusCode()).isEqualTo(404);
    assertThat(read(KEY_A, "/sessions/owned").statusCode()).isEqualTo(200);
    assertThat(Http.delete(server.baseUrl() + "/context/owned", "Authorization", bearer(KEY_B)).statusCode())
        .isEqualTo(404);
    chat(KEY_B, "owned", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(sentMessages()).hasSize(1);
    assertThat(session(KEY_A, "owned").path("messages")).hasSize(2);

    HttpResponse<String> deleted = Http.delete(server.baseUrl() + "/v1/sessions/owned", "Authorization",
        bearer(KEY_A));
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(read(KEY_A, "/context/owned").statusCode()).isEqualTo(404);
    assertThat(Http.json(read(KEY_A, "/context/owned")).at("/error/code").asText()).isEqualTo("not_found");
    assertThat(session(KEY_B, "owned").path("messages")).hasSize(2);
  }

  @Test
  void theEndpointsNeedAClientKeyAndTheAdminKeyIsNotOne() {
    chat(KEY_A, "keyed", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(Http.get(server.baseUrl() + "/context/keyed").statusCode()).isEqualTo(401);
    assertThat(read(ADMIN, "/context/keyed").statusCode()).isEqualTo(401);
    assertThat(read(ADMIN, "/v1/sessions/keyed").body()).doesNotContain("Hi");
  }

  @Test
  void badIdsAndKeysWithoutAnIdAreRefusedInTheirDialect() {
    HttpResponse<String> badId = chat(KEY_A, "no spaces/please", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(Http.json(badId).at("/error/message").asText()).contains("X-Session-Id");
    HttpResponse<String> tooLong = messages(KEY_A, "x".repeat(129), """
        {"model":"claude-s","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(Http.json(tooLong).path("type").asText()).isEqualTo("error");
    HttpResponse<String> envKey = chat(ENV_KEY, "env-key", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(envKey.statusCode()).isEqualTo(400);
    assertThat(Http.json(envKey).at("/error/message").asText()).contains("API_KEYS");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void theOldestTurnsGoFirstAndTheSystemMessageStays() {
    chat(KEY_A, "turns", """
        {"model":"gpt-s","messages":[{"role":"system","content":"Rules."},{"role":"user","content":"Turn 1"}]}""");
    for (int i = 2; i <= MAX_TURNS + 1; i++) {
      chat(KEY_A, "turns", "{\"model\":\"gpt-s\",\"messages\":[{\"role\":\"user\",\"content\":\"Turn " + i + "\"}]}");
    }
    JsonNode stored = session(KEY_A, "turns");
    assertThat(stored.path("turns").asInt()).isEqualTo(MAX_TURNS);
    assertThat(stored.path("messages")).hasSize(2 * MAX_TURNS);
    assertThat(stored.path("messages").get(0).path("content").asText()).isEqualTo("Turn 2");
    upstream.reset();
    chat(KEY_A, "turns", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Last"}]}""");
    JsonNode sent = sentMessages();
    assertThat(sent.get(0)).isEqualTo(tree("{\"role\":\"system\",\"content\":\"Rules.\"}"));
    assertThat(sent.get(1).path("content").asText()).isEqualTo("Turn 2");
    assertThat(sent).hasSize(1 + 2 * MAX_TURNS + 1);
  }

  @Test
  void tokensBeyondTheLimitDropTheOldestTurns() {
    chat(KEY_A, "tokens", "{\"model\":\"gpt-s\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "word ".repeat(MAX_TOKENS - 60) + "\"}]}");
    assertThat(session(KEY_A, "tokens").path("tokens").asInt()).isBetween(MAX_TOKENS - 60, MAX_TOKENS);
    chat(KEY_A, "tokens", "{\"model\":\"gpt-s\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "more ".repeat(80) + "\"}]}");
    JsonNode stored = session(KEY_A, "tokens");
    assertThat(stored.path("tokens").asInt()).isLessThanOrEqualTo(MAX_TOKENS);
    assertThat(stored.path("turns").asInt()).isEqualTo(1);
    assertThat(stored.path("messages").get(0).path("content").asText()).startsWith("more");
  }

  @Test
  void anExpiredSessionReadsAsAbsentAndStartsAgain() throws SQLException {
    chat(KEY_A, "expiring", """
        {"model":"gpt-s","messages":[{"role":"user","content":"Old"}]}""");
    expire("expiring");
    assertThat(read(KEY_A, "/v1/sessions/expiring").statusCode()).isEqualTo(404);
    upstream.reset();
    chat(KEY_A, "expiring", """
        {"model":"gpt-s","messages":[{"role":"user","content":"New"}]}""");
    assertThat(sentMessages()).hasSize(1);
    JsonNode stored = session(KEY_A, "expiring");
    assertThat(stored.path("messages")).hasSize(2);
    assertThat(stored.path("messages").get(0).path("content").asText()).isEqualTo("New");
  }

  private static void expire(String id) throws SQLException {
    try (Connection c = server.database().connect(); PreparedStatement s = c.prepareStatement(
        "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE session_id = ?")) {
      s.setString(1, id);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }
}
