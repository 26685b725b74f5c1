package io.tollgate.provider.gemini;

import static io.tollgate.provider.gemini.GeminiFixtures.bytes;
import static io.tollgate.provider.gemini.GeminiFixtures.json;
import static io.tollgate.provider.gemini.GeminiFixtures.normalized;
import static io.tollgate.provider.gemini.GeminiMapperTest.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import io.tollgate.testing.OpenApiSchemas;
import io.tollgate.upstream.SseReader;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Recorded {@code alt=sse} streams through {@link GeminiStream}, compared chunk by chunk with the expected ones. */
class GeminiStreamTest {
  private static final Route ROUTE = new Route("gemini-test", "google", "gemini", "http://127.0.0.1:9",
      "gemini-2.5-flash", null, false);

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({"text,text", "text,text.completion", "thinking,thinking", "tool-call,tool-call",
      "two-candidates,two-candidates", "no-finish,no-finish", "tool-only,tool-only"})
  void streamsBecomeOpenAiChunks(String stream, String expected) {
    boolean chat = !expected.endsWith(".completion");
    RecordingSink sink = play(stream, chat);
    assertThat(sink.error).isNull();
    assertThat(sink.completed).isTrue();
    for (JsonNode chunk : sink.chunks) {
      if (chat) {
        OpenApiSchemas.load().assertValid("CreateChatCompletionStreamResponse", Json.string(chunk));
      }
    }
    Set<String> ids = sink.chunks.stream().map(c -> c.path("id").asText()).collect(Collectors.toSet());
    assertThat(ids).as("one id per stream").hasSize(1);
    assertThat(ids.iterator().next()).matches((chat ? "chatcmpl-" : "cmpl-") + "[0-9a-f]{24}");
    JsonNode all = Json.MAPPER.valueToTree(sink.chunks);
    assertSameJson(normalized(all), json("streams/" + expected + ".chunks.json"));
  }

  @Test
  void toolCallsHaveDistinctIdsAndIndexes() {
    RecordingSink sink = play("tool-call", true);
    JsonNode first = sink.chunks.get(2).at("/choices/0/delta/tool_calls/0");
    JsonNode second = sink.chunks.get(3).at("/choices/0/delta/tool_calls/0");
    assertThat(first.path("id").asText()).startsWith("call_").isNotEqualTo(second.path("id").asText());
    assertThat(first.path("index").asInt()).isZero();
    assertThat(second.path("index").asInt()).isEqualTo(1);
  }

  @Test
  void aBlockedPromptIsAnErrorBeforeAnyOutput() {
    RecordingSink sink = play("blocked", true);
    assertThat(sink.opened).as("nothing was sent, so the client can still get an HTTP 400").isFalse();
    assertThat(sink.chunks).isEmpty();
    assertThat(sink.error.status()).isEqualTo(400);
    assertThat(sink.error.code()).isEqualTo("content_filter");
    assertThat(sink.error.getMessage()).contains("SAFETY");
  }

  @Test
  void anErrorEventEndsTheStreamWithTheUpstreamsMessage() {
    RecordingSink sink = play("error", true);
    assertThat(sink.chunks).hasSize(2);
    assertThat(sink.completed).isFalse();
    assertThat(sink.error.status()).isEqualTo(502);
    assertThat(sink.error.getMessage()).contains("The model is overloaded");
  }

  @Test
  void aTransportFailureIsMappedAndNothingFollowsIt() {
    RecordingSink sink = new RecordingSink();
    GeminiStream stream = new GeminiStream(sink, ROUTE, true);
    stream.onOpen();
    feed(stream, bytes("streams/no-finish.sse"));
    stream.onError(GatewayException.of(ErrorType.UPSTREAM_TIMEOUT, "upstream did not answer in time"));
    stream.onClose();
    assertThat(sink.error.status()).isEqualTo(504);
    assertThat(sink.completed).isFalse();
  }

  @Test
  void everyReadIsPassedOnAsAPauseUntilTheStreamEnds() {
    RecordingSink sink = play("text", true);
    int reads = (bytes("streams/text.sse").length + 16) / 17;
    // the relay writes to the client only at a pause, so a lost pause would hold the events back
    assertThat(sink.pauses).isPositive().isLessThanOrEqualTo(reads);
    assertThat(sink.completed).isTrue();
  }

  private static RecordingSink play(String name, boolean chat) {
    RecordingSink sink = new RecordingSink();
    GeminiStream stream = new GeminiStream(sink, ROUTE, chat);
    stream.onOpen();
    feed(stream, bytes("streams/" + name + ".sse"));
    stream.onClose();
    return sink;
  }

  private static void feed(GeminiStream stream, byte[] sse) {
    SseReader reader = new SseReader(stream::onEvent);
    // in small pieces, as the network delivers them
    for (int i = 0; i < sse.length; i += 17) {
      reader.feed(ByteBuffer.wrap(sse, i, Math.min(17, sse.length - i)));
      stream.onPause(() -> { });
    }
    reader.finish();
  }
}
