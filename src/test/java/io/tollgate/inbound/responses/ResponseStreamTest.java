package io.tollgate.inbound.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.OpenApiSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Responses stream state machine on the recorded chat chunks of {@code inbound/streams}: every event valid
 * against OpenAI's {@code ResponseStreamEvent}, numbered in order, items opened and closed in pairs, and the last
 * response holding what the deltas said.
 */
class ResponseStreamTest {
  private static final OpenApiSchemas SCHEMAS = OpenApiSchemas.load();
  private static final ObjectNode REQUEST = (ObjectNode) FixtureFiles.tree(
      "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\"}]}");

  static Stream<String> streams() {
    return FixtureFiles.cases("inbound/streams", ".chunks.jsonl");
  }

  private static List<JsonNode> play(List<String> chunks, GatewayException failure) {
    List<JsonNode> events = new ArrayList<>();
    ResponseStream stream = new ResponseStream((type, json) -> {
      JsonNode event = FixtureFiles.tree(new String(json, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(event.get("type").asText()).isEqualTo(type);
      events.add(event);
    }, REQUEST, "sent-model");
    chunks.forEach(c -> stream.chunk(FixtureFiles.tree(c)));
    if (failure == null) {
      stream.finish();
    } else {
      stream.fail(failure);
    }
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
      SCHEMAS.assertValid("ResponseStreamEvent", events.get(i).toString());
    }
    return events;
  }

  private static List<String> chunks(String name) {
    return FixtureFiles.text("inbound/streams", name + ".chunks.jsonl").lines().filter(l -> !l.isBlank()).toList();
  }

  private static long count(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.get("type").asText().equals(type)).count();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void chunksBecomeValidTypedEvents(String name) {
    List<JsonNode> events = play(chunks(name), null);
    assertThat(events.get(0).get("type").asText()).isEqualTo("response.created");
    assertThat(count(events, "response.output_item.added")).isEqualTo(count(events, "response.output_item.done"));
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("type").asText()).isIn("response.completed", "response.incomplete");
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.get("type").asText().equals("response.output_text.delta"))
        .forEach(e -> text.append(e.get("delta").asText()));
    StringBuilder output = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    last.at("/response/output").forEach(item -> item.path("content").forEach(c -> (item.get("type").asText()
        .equals("reasoning") ? reasoning : output).append(c.get("text").asText())));
    assertThat(output.toString()).isEqualTo(text.toString());
    StringBuilder reasoned = new StringBuilder();
    events.stream().filter(e -> e.get("type").asText().equals("response.reasoning_text.delta"))
        .forEach(e -> reasoned.append(e.get("delta").asText()));
    assertThat(reasoning.toString()).isEqualTo(reasoned.toString());
    assertThat(count(events, "response.output_item.done")).isEqualTo(last.at("/response/output").size());
  }

  @Test
  void aStreamCutByTheTokenLimitIsIncompleteAndWithoutUsageHasNone() {
    List<JsonNode> events = play(chunks("truncated-without-usage"), null);
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("type").asText()).isEqualTo("response.incomplete");
    assertThat(last.at("/response/status").asText()).isEqualTo("incomplete");
    assertThat(last.at("/response/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    assertThat(last.at("/response").has("usage")).isFalse();
    assertThat(last.at("/response/model").asText()).as("the model the chunks name").isEqualTo("gpt-4o");
  }

  @Test
  void reasoningComesAsAReasoningItemBeforeTheText() {
    List<JsonNode> events = play(chunks("reasoning-text-tool"), null);
    JsonNode first = events.stream().filter(e -> e.get("type").asText().equals("response.output_item.added"))
        .findFirst().orElseThrow();
    assertThat(first.at("/item/type").asText()).isEqualTo("reasoning");
    assertThat(first.at("/item/id").asText()).startsWith("rs_");
    JsonNode done = events.stream().filter(e -> e.get("type").asText().equals("response.reasoning_text.done"))
        .findFirst().orElseThrow();
    assertThat(done.get("text").asText()).isNotBlank();
    JsonNode item = events.get(events.size() - 1).at("/response/output/0");
    assertThat(item.get("type").asText()).isEqualTo("reasoning");
    assertThat(item.at("/content/0/type").asText()).isEqualTo("reasoning_text");
    assertThat(item.at("/content/0/text").asText()).isEqualTo(done.get("text").asText());
    assertThat(item.get("status").asText()).isEqualTo("completed");
  }

  @Test
  void textThenToolCallsCloseEachItemBeforeTheNextOpens() {
    List<JsonNode> events = play(chunks("reasoning-text-tool"), null);
    List<String> order = events.stream().map(e -> e.get("type").asText())
        .filter(t -> t.startsWith("response.output_item.")).toList();
    for (int i = 0; i < order.size(); i += 2) {
      assertThat(order.subList(i, i + 2)).containsExactly("response.output_item.added",
          "response.output_item.done");
    }
    JsonNode call = events.stream().filter(e -> e.get("type").asText().equals(
        "response.function_call_arguments.done")).findFirst().orElseThrow();
    assertThat(call.get("name").asText()).isNotBlank();
    // Each call's deltas add up to its done event's arguments and to the item the completed response holds.
    StringBuilder deltas = new StringBuilder();
    events.stream().filter(e -> e.get("type").asText().equals("response.function_call_arguments.delta")
        && e.get("item_id").equals(call.get("item_id"))).forEach(e -> deltas.append(e.get("delta").asText()));
    assertThat(deltas.toString()).isNotEmpty().isEqualTo(call.get("arguments").asText());
    JsonNode item = events.get(events.size() - 1).at("/response/output/" + call.get("output_index").asInt());
    assertThat(item.get("id")).isEqualTo(call.get("item_id"));
    assertThat(item.get("arguments").asText()).isEqualTo(deltas.toString());
  }

  @Test
  void aFailureAfterTheStartIsResponseFailedAndBeforeItAnErrorEvent() {
    List<JsonNode> failed = play(chunks("text").subList(0, 2),
        GatewayException.of(ErrorType.UPSTREAM_ERROR, "upstream went away"));
    JsonNode last = failed.get(failed.size() - 1);
    assertThat(last.get("type").asText()).isEqualTo("response.failed");
    assertThat(last.at("/response/error/code").asText()).isEqualTo("server_error");
    assertThat(last.at("/response/error/message").asText()).isEqualTo("upstream went away");
    assertThat(count(failed, "response.output_item.added")).isEqualTo(count(failed, "response.output_item.done"));

    List<JsonNode> early = play(List.of(), GatewayException.of(ErrorType.UPSTREAM_ERROR, "nothing came"));
    assertThat(early).hasSize(1);
    assertThat(early.get(0).get("type").asText()).isEqualTo("error");
    assertThat(early.get(0).get("message").asText()).isEqualTo("nothing came");
  }
}
