package io.tollgate.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.upstream.SseReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stream state machine on recorded OpenAI chunks: {@code inbound/streams/X.chunks.jsonl}, one chunk per line,
 * must become the Anthropic events of {@code X.events.sse}, written as Anthropic writes them.
 */
class MessagesStreamTest {

  /** One event as a client reads it. */
  record Event(String name, JsonNode data) {
  }

  static Stream<String> streams() {
    return FixtureFiles.cases("inbound/streams", ".chunks.jsonl");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void chunksBecomeAnthropicEvents(String name) {
    List<Event> got = play(FixtureFiles.text("inbound/streams", name + ".chunks.jsonl").lines()
        .filter(l -> !l.isBlank()).toList());
    assertThat(got).containsExactlyElementsOf(read(FixtureFiles.text("inbound/streams", name + ".events.sse")));
    for (Event e : got) {
      assertThat(e.data().get("type").asText()).as("each event's type is its name").isEqualTo(e.name());
    }
  }

  @Test
  void aToolCallWithoutAnIdGetsOneAndAnUpstreamThatInterleavesCallsKeepsEachCallsBlock() {
    String head = "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[";
    List<Event> got = play(List.of(
        head + "{\"index\":0,\"function\":{\"name\":\"a\",\"arguments\":\"{\\\"x\\\":\"}}]}}]}",
        head + "{\"index\":1,\"function\":{\"name\":\"b\",\"arguments\":\"{}\"}}]}}]}",
        head + "{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},\"finish_reason\":\"tool_calls\"}]}"));
    assertThat(got.get(2).data().at("/content_block/id").asText()).matches("toolu_[0-9a-f]{24}");
    Event late = got.stream().filter(e -> e.name().equals("content_block_delta")
        && e.data().at("/delta/partial_json").asText().equals("1}")).findFirst().orElseThrow();
    assertThat(late.data().get("index").asInt()).isZero();
    assertThat(got.get(got.size() - 2).data().at("/delta/stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void anEmptyAnswerStillOpensAndClosesTheMessageNamingTheModelItWasSent() {
    List<Event> got = play(List.of());
    assertThat(got).extracting(Event::name)
        .containsExactly("message_start", "ping", "message_delta", "message_stop");
    assertThat(got.get(0).data().at("/message/model").asText()).isEqualTo("sent-model");
    assertThat(got.get(2).data().at("/delta/stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void messageStartCountsTheEstimatedInputTokensAndMessageDeltaTheUpstreamsExactOnes() {
    List<Event> got = play(List.of(
        "{\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":57,\"completion_tokens\":2,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":50}}}"));
    JsonNode start = got.get(0).data().at("/message");
    assertThat(start.path("model").asText()).as("the model the upstream reports").isEqualTo("gpt-4o-2024-08-06");
    assertThat(start.at("/usage/input_tokens").asInt()).isEqualTo(42);
    assertThat(start.at("/usage/output_tokens").asInt()).isZero();
    JsonNode delta = got.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow().data();
    assertThat(delta.at("/usage/input_tokens").asInt()).isEqualTo(7);
    assertThat(delta.at("/usage/cache_read_input_tokens").asInt()).isEqualTo(50);
    assertThat(delta.at("/usage/output_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void anUpstreamThatCountsInItsFirstChunkGivesMessageStartItsCount() {
    List<Event> got = play(List.of(
        "{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":1}}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":5}}"));
    assertThat(got.get(0).data().at("/message/usage/input_tokens").asInt()).isEqualTo(31);
    assertThat(got.get(0).data().at("/message/usage/output_tokens").asInt()).isZero();
    assertThat(got.get(got.size() - 2).data().at("/usage/output_tokens").asInt()).isEqualTo(5);
  }

  private static List<Event> play(List<String> chunks) {
    List<Event> events = new ArrayList<>();
    MessagesStream stream = new MessagesStream((name, data) -> events.add(new Event(name,
        FixtureFiles.reparsed(data))), "msg_test", "sent-model", 42);
    chunks.forEach(c -> stream.chunk(FixtureFiles.tree(c)));
    stream.finish();
    stream.finish(); // a second end changes nothing
    return events;
  }

  private static List<Event> read(String sse) {
    List<Event> events = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> events.add(new Event(name,
        FixtureFiles.tree(new String(data, StandardCharsets.UTF_8)))));
    reader.feed(ByteBuffer.wrap(sse.getBytes(StandardCharsets.UTF_8)));
    reader.finish();
    return events;
  }
}
