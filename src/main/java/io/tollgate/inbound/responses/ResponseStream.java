package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.GatewayException;
import io.tollgate.inbound.TranslatedRelay;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * Chat chunks as the Responses API's typed events, each numbered by {@code sequence_number}.
 * {@code response.created} and {@code response.in_progress} go out with the first chunk (naming the model the
 * upstream reports); text opens a {@code message} item with one {@code output_text} part, each tool call index a
 * {@code function_call} item; an item is done when the next one opens, and {@code response.completed} (or
 * {@code response.incomplete} when cut by the token limit) carries the whole response with its usage, which chat
 * sends last. An error once the response was announced is {@code response.failed}; before, an {@code error} event.
 */
final class ResponseStream implements TranslatedRelay.Events {
  /** Where the events go: the type of each, and its data (whose {@code type} is the same). */
  interface Events {
    void event(String type, ObjectNode data);
  }

  private final Events out;
  private final ObjectNode request;
  private final String id;
  private final String sentModel;
  private final ArrayNode output = Json.MAPPER.createArrayNode();
  private final Map<Integer, Integer> itemByToolCall = new HashMap<>();
  private ObjectNode response;
  private ObjectNode open; // the item receiving deltas, null between items
  private StringBuilder text;
  private String finishReason;
  private JsonNode usage;
  private int sequence;
  private boolean finished;

  ResponseStream(Events out, ObjectNode request, String sentModel) {
    this.out = out;
    this.request = request;
    this.id = Ids.random("resp_");
    this.sentModel = sentModel;
  }

  @Override
  public void chunk(JsonNode chunk) {
    start(chunk);
    if (chunk.path("usage").isObject()) {
      usage = chunk.get("usage");
    }
    JsonNode choice = chunk.path("choices").path(0);
    if (!choice.isObject()) {
      return;
    }
    JsonNode delta = choice.path("delta");
    String content = delta.path("content").asText("");
    if (!content.isEmpty()) {
      textDelta(content);
    }
    JsonNode calls = delta.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      ObjectNode item = toolItem(call.path("index").asInt(i), call);
      String arguments = call.path("function").path("arguments").asText("");
      if (!arguments.isEmpty()) {
        item.put("arguments", item.get("arguments").asText() + arguments);
        if (item == open) {
          emit("response.function_call_arguments.delta", at(item).put("delta", arguments));
        }
      }
    }
    if (choice.hasNonNull("finish_reason")) {
      finishReason = choice.get("finish_reason").asText();
    }
  }

  @Override
  public void finish() {
    if (finished) {
      return;
    }
    start(MissingNode.getInstance());
    finished = true;
    close();
    ResponsesWire.status(response, finishReason);
    response.set("output", output);
    ResponsesWire.usage(response, usage);
    String type = response.get("status").asText().equals("incomplete") ? "response.incomplete"
        : "response.completed";
    emit(type, data(type).set("response", response));
  }

  @Override
  public void fail(GatewayException error) {
    if (finished) {
      return;
    }
    finished = true;
    if (response == null) {
      emit("error", ResponsesWire.errorEvent(error));
      return;
    }
    close();
    response.put("status", "failed").set("error", ResponsesWire.error(error));
    response.set("output", output);
    ResponsesWire.usage(response, usage);
    emit("response.failed", data("response.failed").set("response", response));
  }

  private void start(JsonNode first) {
    if (response != null) {
      return;
    }
    response = ResponseMapper.shell(request, id, ResponseMapper.model(first, sentModel));
    emit("response.created", data("response.created").set("response", response.deepCopy()));
    emit("response.in_progress", data("response.in_progress").set("response", response.deepCopy()));
  }

  private void textDelta(String content) {
    if (open == null || !"message".equals(open.get("type").asText())) {
      begin(ResponseMapper.message(Ids.random("msg_"), "in_progress"));
      text = new StringBuilder();
      emit("response.content_part.added", part(open).set("part", ResponseMapper.textPart("")));
    }
    text.append(content);
    emit("response.output_text.delta", part(open).put("delta", content).set("logprobs",
        Json.MAPPER.createArrayNode()));
  }

  /** A tool call's item, opened when its index first appears; later deltas of a closed one only add up. */
  private ObjectNode toolItem(int index, JsonNode call) {
    Integer known = itemByToolCall.get(index);
    if (known != null) {
      return (ObjectNode) output.get(known);
    }
    ObjectNode item = ResponseMapper.functionCall(call.path("id").asText(""),
        call.path("function").path("name").asText(""), "in_progress");
    begin(item);
    itemByToolCall.put(index, output.size() - 1);
    return item;
  }

  private void begin(ObjectNode item) {
    close();
    output.add(item);
    open = item;
    emit("response.output_item.added", index(item).set("item", item.deepCopy()));
  }

  /** The open item's done events: its text or arguments whole, then the item itself. */
  private void close() {
    if (open == null) {
      return;
    }
    ObjectNode item = open;
    open = null;
    if (item.get("type").asText().equals("message")) {
      ObjectNode whole = ResponseMapper.textPart(text.toString());
      emit("response.output_text.done", part(item).put("text", text.toString()).set("logprobs",
          Json.MAPPER.createArrayNode()));
      emit("response.content_part.done", part(item).set("part", whole));
      ((ArrayNode) item.get("content")).add(whole);
    } else {
      emit("response.function_call_arguments.done", at(item).put("name", item.get("name").asText())
          .put("arguments", item.get("arguments").asText()));
    }
    item.put("status", "completed");
    emit("response.output_item.done", index(item).set("item", item.deepCopy()));
  }

  private ObjectNode index(ObjectNode item) {
    return data(null).put("output_index", indexOf(item));
  }

  private ObjectNode at(ObjectNode item) {
    return index(item).put("item_id", item.get("id").asText());
  }

  private ObjectNode part(ObjectNode item) {
    return at(item).put("content_index", 0);
  }

  private int indexOf(ObjectNode item) {
    for (int i = 0; i < output.size(); i++) {
      if (output.get(i) == item) {
        return i;
      }
    }
    return -1;
  }

  private static ObjectNode data(String type) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    return type == null ? data : data.put("type", type);
  }

  private void emit(String type, ObjectNode data) {
    ObjectNode event = Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
    event.setAll(data);
    event.put("type", type);
    out.event(type, event);
  }
}
