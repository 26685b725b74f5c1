package io.tollgate.inbound.responses;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.cost.Billing;
import io.tollgate.cost.PriceTable;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.RequestValidator;
import io.tollgate.openai.Usage;
import io.tollgate.testing.FuzzChecks;
import io.tollgate.usage.RequestLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/responses} translated into chat and back. In: any client bytes give a chat request that passes the chat
 * route's own checks, or a 4xx, also as the continuation of a stored response. Back: any chat answer becomes a
 * well-formed {@code response}, and any chat chunks, one per line as the adapters hand them over, become a
 * well-formed sequence of the Responses API's events. And the pass-through's reading of an upstream's own events.
 * Seeds: {@code ResponsesFuzzTestInputs/<method>/}.
 */
class ResponsesFuzzTest {
  private static final ObjectNode REQUEST = (ObjectNode) Json.treeOrMissing(("{\"model\":\"m\",\"input\":\"hi\","
      + "\"instructions\":\"Be brief\",\"max_output_tokens\":100,\"text\":{\"format\":{\"type\":\"json_object\"}},"
      + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}")
      .getBytes(StandardCharsets.UTF_8));
  private static final Set<String> STATUSES = Set.of("completed", "incomplete");
  private static final Set<String> LAST = Set.of("response.completed", "response.incomplete", "response.failed");

  /**
   * As ResponsesServlet takes a body: parse, its items, the chat request, the chat checks. Then the same body as
   * the continuation of a stored response: the body itself stands for that response (its {@code output}, which a
   * pass-through upstream wrote, is the fuzzer's), its input for the stored input items.
   */
  @FuzzTest(maxDuration = "2m")
  void request(byte[] body) {
    FuzzChecks.clientInput(() -> {
      ResponsesRequest call = ResponsesRequest.parse(body);
      ArrayNode items = InputItems.of(call.body().get("input"));
      chat(call.body(), call.stream());
      ObjectNode continuation = call.body().deepCopy();
      continuation.set("input", InputItems.continued(items, call.body(), call.body().get("input")));
      chat(continuation, call.stream());
    });
  }

  private static void chat(ObjectNode body, boolean stream) {
    FuzzChecks.written(RequestValidator.parse(Endpoint.CHAT, ChatRequestMapper.toChat(body, stream)).body());
  }

  /**
   * As TranslatedCall reads a whole answer: what is not JSON is the upstream's 502 before the mapper runs; the
   * mapper gets it here as an empty (missing) answer all the same, which it must take too.
   */
  @FuzzTest(maxDuration = "2m")
  void answer(byte[] completion) {
    ObjectNode response = ResponseMapper.toResponse(REQUEST, Json.treeOrMissing(completion), "sent-model");
    FuzzChecks.written(response);
    if (!response.path("id").asText().startsWith("resp_") || !"response".equals(response.path("object").asText())
        || !response.path("output").isArray() || !STATUSES.contains(response.path("status").asText())
        || !response.path("model").isTextual()) {
      throw new AssertionError("not a response: " + response);
    }
    for (JsonNode item : response.get("output")) {
      if (!item.path("id").isTextual() || !item.path("type").isTextual() || !item.path("status").isTextual()) {
        throw new AssertionError("not an output item: " + item);
      }
    }
  }

  /** As TranslatedRelay feeds the stream: an error chunk or an unreadable one fails it, the rest become events. */
  @FuzzTest(maxDuration = "2m")
  void stream(byte[] chunks) {
    EventChecks checks = new EventChecks();
    ResponseStream stream = new ResponseStream(checks::event, REQUEST, "sent-model");
    for (String line : new String(chunks, StandardCharsets.UTF_8).split("\n")) {
      byte[] json = line.getBytes(StandardCharsets.UTF_8);
      String error = ChunkInspector.inspect(json).errorMessage();
      JsonNode chunk = error == null ? Json.treeOrMissing(json) : null;
      if (chunk == null || chunk.isMissingNode()) {
        stream.fail(GatewayException.of(ErrorType.UPSTREAM_ERROR, error != null ? error : "unreadable"));
        checks.ended(true);
        return;
      }
      stream.chunk(chunk);
    }
    stream.finish();
    checks.ended(false);
  }

  /** As NativeRelay reads a Responses upstream's events, one data line each: names and usage, never a throw. */
  @FuzzTest(maxDuration = "2m")
  void passThrough(byte[] events) {
    RequestLog log = new RequestLog("req_fuzz");
    PassThroughEvents reader = new PassThroughEvents(log, new Billing(new PriceTable(List.of())));
    for (String line : new String(events, StandardCharsets.UTF_8).split("\n")) {
      byte[] data = line.getBytes(StandardCharsets.UTF_8);
      if (reader.relays(data)) {
        String name = reader.name(null, data);
        reader.note(name, data);
        reader.text(name);
      }
    }
    Usage usage = log.usage();
    if (usage != null && (negative(usage.promptTokens()) || negative(usage.completionTokens()))) {
      throw new AssertionError("negative usage read: " + usage);
    }
  }

  private static boolean negative(Integer count) {
    return count != null && count < 0;
  }

  /** The properties of a Responses event sequence, checked event by event and at its end. */
  private static final class EventChecks {
    private final List<String> names = new ArrayList<>();
    private final Set<String> added = new HashSet<>();
    private final Set<String> done = new HashSet<>();

    void event(String name, byte[] json) {
      JsonNode event = Json.treeOrMissing(json);
      if (!name.equals(event.path("type").asText())) {
        throw new AssertionError("event " + name + " with type " + event.path("type"));
      }
      if (event.path("sequence_number").asLong(-1) != names.size()) {
        throw new AssertionError("event " + names.size() + " numbered " + event.path("sequence_number"));
      }
      String item = event.path("item").path("id").asText(null);
      if (name.equals("response.output_item.added") && !added.add(item)) {
        throw new AssertionError("item " + item + " added twice");
      }
      if (name.equals("response.output_item.done") && (!added.contains(item) || !done.add(item))) {
        throw new AssertionError("item " + item + " done but not added, or done twice");
      }
      if (event.has("item_id") && (!added.contains(event.get("item_id").asText())
          || done.contains(event.get("item_id").asText()))) {
        throw new AssertionError(name + " for item " + event.get("item_id") + ", which is not open");
      }
      names.add(name);
    }

    void ended(boolean failed) {
      if (names.equals(List.of("error"))) {
        if (!failed) {
          throw new AssertionError("an error event on a stream that did not fail");
        }
        return;
      }
      String last = names.get(names.size() - 1);
      if (!names.get(0).equals("response.created") || !LAST.contains(last)
          || failed != last.equals("response.failed")) {
        throw new AssertionError("events out of order: " + names);
      }
      if (!added.equals(done)) {
        throw new AssertionError("items added " + added + " but done " + done);
      }
    }
  }
}
