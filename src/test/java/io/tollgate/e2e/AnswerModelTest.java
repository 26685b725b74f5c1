package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What a client reads in a translated answer, on every provider type: the model named is the one the upstream
 * reports (or, if it reports none, the one it was sent), in both dialects, plain and streamed; streamed tool calls
 * open as OpenAI's do; an Anthropic client's message_start counts input tokens.
 */
class AnswerModelTest extends MessagesFixture {

  /** What the upstream of each model reports: the fake echoes the name it was sent; the fixtures name their own. */
  @ParameterizedTest(name = "{0} answers as {1}")
  @CsvSource({"gpt-via-messages, gpt-4o-upstream", "claude-native, claude-sonnet-4-5-20250929",
      "gemini-via-messages, gemini-2.5-flash", "echo-test, echo"})
  void everyChatAnswerAndChunkNamesTheUpstreamsModel(String model, String reported) {
    enqueue(model, false);
    HttpResponse<String> plain = chat(model, false);
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    assertThat(json(plain).path("model").asText()).isEqualTo(reported);

    enqueue(model, true);
    HttpResponse<String> streamed = chat(model, true);
    assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
    List<JsonNode> chunks = chunks(streamed.body());
    assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.path("model").asText()).isEqualTo(reported));
  }

  @ParameterizedTest(name = "{0} answers as {1}")
  @CsvSource({"gpt-via-messages, gpt-4o-upstream", "claude-native, claude-sonnet-4-5-20250929",
      "gemini-via-messages, gemini-2.5-flash", "echo-test, echo"})
  void everyMessagesAnswerNamesTheUpstreamsModel(String model, String reported) {
    enqueue(model, false);
    HttpResponse<String> plain = post("/v1/messages", messages(model, false));
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    assertThat(json(plain).path("model").asText()).isEqualTo(reported);

    enqueue(model, true);
    HttpResponse<String> streamed = post("/v1/messages", messages(model, true));
    assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
    MessagesApiTest.Event start = MessagesApiTest.events(streamed.body()).get(0);
    assertThat(start.name()).isEqualTo("message_start");
    assertThat(start.data().at("/message/model").asText()).isEqualTo(reported);
  }

  @Test
  void aTranslatedStreamsMessageStartCountsInputTokensAndMessageDeltaTheUpstreamsCount() {
    HttpResponse<String> r = post("/v1/messages", messages("gpt-via-messages", true));
    List<MessagesApiTest.Event> events = MessagesApiTest.events(r.body());
    JsonNode start = events.get(0).data().at("/message/usage");
    assertThat(start.path("input_tokens").asInt()).as("the gateway's estimate for 'Say hello'").isEqualTo(3);
    JsonNode delta = events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow().data();
    assertThat(delta.at("/usage/input_tokens").asInt()).as("the fake upstream's count").isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"claude-native, anthropic/streams", "gemini-via-messages, gemini/streams"})
  void aStreamedAnswerThatOnlyCallsAToolOpensWithContentNull(String model, String fixtures) {
    upstream.enqueue(FakeResponse.rawEvents(List.of(FixtureFiles.text(fixtures, "tool-only.sse").strip()
        .split("\n\n")), Duration.ZERO));
    HttpResponse<String> r = chat(model, true);
    JsonNode first = chunks(r.body()).get(0).at("/choices/0/delta");
    assertThat(first.path("role").asText()).isEqualTo("assistant");
    assertThat(first.get("content").isNull()).as(first.toString()).isTrue();
    assertThat(first.at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    assertThat(chunks(r.body())).noneSatisfy(c -> assertThat(c.at("/choices/0/delta/content").isTextual()).isTrue());
  }

  private static void enqueue(String model, boolean stream) {
    switch (model) {
      case "claude-native" -> upstream.enqueue(stream
          ? FakeResponse.rawEvents(anthropicEvents("text.sse"), Duration.ZERO)
          : FakeResponse.json(200, FixtureFiles.text("anthropic/responses", "text.anthropic.json")));
      case "gemini-via-messages" -> upstream.enqueue(stream
          ? FakeResponse.rawEvents(List.of(FixtureFiles.text("gemini/streams", "tool-call.sse").strip()
              .split("\n\n")), Duration.ZERO)
          : FakeResponse.json(200, FixtureFiles.text("gemini/responses", "chat-text.gemini.json")));
      default -> { } // the fake's own OpenAI answers, or the echo model
    }
  }

  private static HttpResponse<String> chat(String model, boolean stream) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", "Authorization", bearer(KEY));
  }

  private static String messages(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  private static List<JsonNode> chunks(String sse) {
    return sse.lines().filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]"))
        .map(l -> FixtureFiles.tree(l.substring(6))).toList();
  }
}
