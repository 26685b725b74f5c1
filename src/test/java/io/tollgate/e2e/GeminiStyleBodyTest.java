package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Gemini-style body ({@code contents}) on /v1/chat/completions: converted on the way in, answered as OpenAI. */
class GeminiStyleBodyTest extends UpstreamFixture {
  private static final String BODY = """
      {"model":"gpt-test","systemInstruction":{"parts":[{"text":"Be brief."}]},
       "contents":[{"role":"user","parts":[{"text":"Say hello"}]}],
       "generationConfig":{"temperature":0.3,"maxOutputTokens":20}%s}""";

  @Test
  void aGeminiBodyIsAnsweredInOpenAiFormat() {
    HttpResponse<String> r = Http.post(url("/v1/chat/completions"), BODY.formatted(""),
        "Authorization", bearer(KEY), "X-Request-Id", "req-gemini-style-1");
    assertThat(r.statusCode()).isEqualTo(200);
    OpenApiSchemas.load().assertValid("CreateChatCompletionResponse", r.body());
    assertThat(json(r).at("/choices/0/message/content").asText()).isEqualTo("Hello from fake");
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent).isEqualTo(FixtureFiles.tree("""
        {"model":"upstream-model","messages":[{"role":"system","content":"Be brief."},
         {"role":"user","content":"Say hello"}],"temperature":0.3,"max_tokens":20}"""));
    assertThat(rows.await("req-gemini-style-1", Duration.ofSeconds(10))).containsEntry("model", "gpt-test");
  }

  @Test
  void aStreamedGeminiBodyGetsOpenAiChunks() throws Exception {
    SseEvents events = SseEvents.read(Http.client().send(Http.builder(url("/v1/chat/completions"),
            "Authorization", bearer(KEY), "Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY.formatted(",\"stream\":true"))).build(),
        HttpResponse.BodyHandlers.ofInputStream()).body());
    assertThat(events.last()).isEqualTo("[DONE]");
    List<String> chunks = events.data().subList(0, events.data().size() - 1);
    chunks.forEach(c -> OpenApiSchemas.load().assertValid("CreateChatCompletionStreamResponse", c));
    assertThat(upstream.takeRequest().json().get("stream").asBoolean()).isTrue();
  }

  @Test
  void withoutAModelItIsAClear400() {
    HttpResponse<String> r = Http.post(url("/v1/chat/completions"),
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}", "Authorization", bearer(KEY));
    assertThat(r.statusCode()).isEqualTo(400);
    OpenApiSchemas.load().assertValid("ErrorResponse", r.body());
    assertThat(json(r).at("/error/param").asText()).isEqualTo("model");
    assertThat(json(r).at("/error/message").asText()).contains("Gemini-style");
    assertThat(upstream.requestCount()).isZero();
  }
}
