package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxyChatTest extends UpstreamFixture {

  @Test
  void chatGoesUpstreamWithTheTargetModelAndPooledKeysInTurn() {
    Set<String> keysSeen = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = post(url("/v1/chat/completions"), chat(false, ""), "Authorization", bearer(KEY));
      assertThat(r.statusCode()).isEqualTo(200);
      OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
      assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");
      RecordedRequest sent = upstream.takeRequest();
      assertThat(sent.path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.json().path("model").asText()).isEqualTo("upstream-model");
      assertThat(sent.json().at("/messages/0/content").asText()).isEqualTo("Say hello");
      keysSeen.add(sent.headers().get("authorization"));
      assertThat(sent.headers().get("authorization")).doesNotContain(KEY);
    }
    assertThat(keysSeen).containsExactlyInAnyOrder(bearer(UPSTREAM_KEY_1), bearer(UPSTREAM_KEY_2));
  }

  @Test
  void unknownParametersReachTheUpstreamUnchanged() {
    String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"some_new_param\":{\"a\":[1,2]},\"temperature\":0.2}";
    assertThat(post(url("/v1/chat/completions"), body, "Authorization", bearer(KEY)).statusCode()).isEqualTo(200);
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.path("some_new_param").toString()).isEqualTo("{\"a\":[1,2]}");
    assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void everyRequestBecomesALogRowWithTokens() {
    HttpResponse<String> r = post(url("/v1/chat/completions"), chat(false, ""), "Authorization", bearer(KEY),
        "X-Request-Id", "req-chat-log-1");
    assertThat(r.headers().firstValue("X-Request-Id")).contains("req-chat-log-1");
    Map<String, Object> row = rows.await("req-chat-log-1", Duration.ofSeconds(10));
    assertThat(row).containsEntry("model", "gpt-test").containsEntry("provider", "main")
        .containsEntry("upstream_model", "upstream-model").containsEntry("status", 200)
        .containsEntry("prompt_tokens", 7).containsEntry("completion_tokens", 3)
        .containsEntry("key_name", "proxy-tests").containsEntry("stream", false);
    assertThat(((Number) row.get("latency_ms")).longValue()).isGreaterThanOrEqualTo(0);

    post(url("/v1/chat/completions"), chat(false, ""), "X-Request-Id", "req-chat-log-401");
    assertThat(rows.await("req-chat-log-401", Duration.ofSeconds(10))).containsEntry("status", 401);
    post(url("/v1/chat/completions"), "{bad json", "Authorization", bearer(KEY), "X-Request-Id", "req-chat-log-400");
    assertThat(rows.await("req-chat-log-400", Duration.ofSeconds(10))).containsEntry("status", 400);
  }

  @Test
  void completionsAndEmbeddingsAreProxied() {
    HttpResponse<String> c = post(url("/v1/completions"), "{\"model\":\"gpt-test\",\"prompt\":\"Once\"}",
        "Authorization", bearer(KEY));
    assertThat(c.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateCompletionResponse", c.body());
    assertThat(upstream.takeRequest().path()).isEqualTo("/v1/completions");

    HttpResponse<String> e = post(url("/embeddings"), "{\"model\":\"gpt-test\",\"input\":[\"a\",\"b\"]}",
        "Authorization", bearer(KEY));
    assertThat(e.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateEmbeddingResponse", e.body());
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/embeddings");
    assertThat(sent.json().path("model").asText()).isEqualTo("upstream-model");
  }

  @Test
  void passThroughProviderSendsTheCallersOwnTokenWithoutSkPrefix() {
    String body = "{\"model\":\"own-key-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpResponse<String> r = post(url("/v1/chat/completions"), body, "X-API-Key", KEY,
        "Authorization", "Bearer sk-callers-own-token");
    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer callers-own-token");
    assertThat(sent.json().path("model").asText()).isEqualTo("own-key-model");
  }

  @Test
  void theGatewayKeyIsNeverPassedThrough() {
    String body = "{\"model\":\"own-key-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpResponse<String> r = post(url("/v1/chat/completions"), body, "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(upstream.requestCount()).isZero();
  }
}
