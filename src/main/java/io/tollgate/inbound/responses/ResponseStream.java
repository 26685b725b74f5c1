package io.tollgate.inbound.responses;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.GatewayException;
import io.tollgate.inbound.TranslatedRelay;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.openai.Reasoning;
import java.util.HashMap;
import java.util.Map;

/**
 * Chat chunks as the Responses API's typed events, each numbered by {@code sequence_number}.
 * {@code response.created} and {@code response.in_progress} go out with the first chunk (naming the model the
 * upstream reports); reasoning opens a {@code reasoning} item with one {@code reasoning_text} part, text a
 * {@code message} item with one {@code output_text} part, each tool call index a {@code function_call} item; an item is done when the next one opens, and {@code response.completed} (or
 * {@code response.incomplete} when cut by the token limit) carries the whole response with its usage, which chat
 * sends last. An error once the response was announced is {@code response.failed}; before, an {@code error} event.
 */
final class ResponseStream implements TranslatedRelay.Events {
  /** Where the events go: the type of each, and its JSON (whose {@code type} is the same). */
  interface Events {
    void event(String type, byte[] json);
  }

  /** A function call's item, its place in the output and the arguments received so far. */
  private record ToolItem(ObjectNode item, int index, StringBuilder arguments) {
  }

  private final StreamEvents events;
  private final ObjectNode request;
  private final String id;
  private final String sentModel;
  private final ArrayNode output = Json.MAPPER.createArrayNode();
  private final Map<Integer, ToolItem> toolItems = new HashMap<>();
  private ObjectNode response;
  private ObjectNode open; // the item receiving deltas, null between items
  private SerializedString openId;
  private StringBuilder text;
  private String finishReason;
  private JsonNode usage;
  private boolean finished;

  ResponseStream(Events out, ObjectNode request, String sentModel) {
    this.events = new StreamEvents(out);
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
    String reasoning = Reasoning.of(delta);
    if (!reasoning.isEmpty()) {
      reasoningDelta(reasoning);
    }
    String content = delta.path("content").asText("");
    if (!content.isEmpty()) {
      textDelta(content);
    }
    JsonNode calls = delta.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      ToolItem tool = toolItem(call.path("index").asInt(i), call);
      String arguments = call.path("function").path("arguments").asText("");
      if (!arguments.isEmpty()) {
        tool.arguments().append(arguments);
        if (tool.item() == open) {
          events.delta("response.function_call_arguments.delta", tool.index(), openId, arguments, false);
        } else {
          tool.item().put("arguments", tool.arguments().toString()); // a closed call's late deltas only add up
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
    ObjectNode event = events.event(type);
    event.set("response", response);
    events.send(event);
    events.close();
  }

  @Override
  public void fail(GatewayException error) {
    if (finished) {
      return;
    }
    finished = true;
    if (response == null) {
      ObjectNode event = events.event("error");
      event.setAll(ResponsesWire.errorEvent(error));
      events.send(event.put("type", "error"));
      events.close();
      return;
    }
    close();
    response.put("status", "failed").set("error", ResponsesWire.error(error));
    response.set("output", output);
    ResponsesWire.usage(response, usage);
    ObjectNode event = events.event("response.failed");
    event.set("response", response);
    events.send(event);
    events.close();
  }

  private void start(JsonNode first) {
    if (response != null) {
      return;
    }
    response = ResponseMapper.shell(request, id, ResponseMapper.model(first, sentModel));
    SerializedString announced = new SerializedString(Json.string(response));
    events.withResponse("response.created", announced);
    events.withResponse("response.in_progress", announced);
  }

  /** Reasoning the upstream sends (see openai/Reasoning) opens a reasoning item with one reasoning_text part. */
  private void reasoningDelta(String content) {
    if (!isOpen("reasoning")) {
      begin(ResponseMapper.reasoning(Ids.random("rs_"), "in_progress"));
      text = new StringBuilder();
    }
    text.append(content);
    events.reasoningDelta(output.size() - 1, openId, content);
  }

  private boolean isOpen(String type) {
    return open != null && type.equals(open.get("type").asText());
  }

  private void textDelta(String content) {
    if (!isOpen("message")) {
      begin(ResponseMapper.message(Ids.random("msg_"), "in_progress"));
      text = new StringBuilder();
      events.send(part(events.event("response.content_part.added")).set("part", ResponseMapper.textPart("")));
    }
    text.append(content);
    events.delta("response.output_text.delta", output.size() - 1, openId, content, true);
  }

  /** A tool call's item, opened when its index first appears; later deltas of a closed one only add up. */
  private ToolItem toolItem(int index, JsonNode call) {
    ToolItem known = toolItems.get(index);
    if (known != null) {
      return known;
    }
    ObjectNode item = ResponseMapper.functionCall(call.path("id").asText(""),
        call.path("function").path("name").asText(""), "in_progress");
    begin(item);
    ToolItem tool = new ToolItem(item, output.size() - 1, new StringBuilder());
    toolItems.put(index, tool);
    return tool;
  }

  /** Opens an item at the end of the output (closing the open one): deltas go to the last item while it is open. */
  private void begin(ObjectNode item) {
    close();
    output.add(item);
    open = item;
    openId = new SerializedString(item.get("id").asText());
    events.send(index(events.event("response.output_item.added")).set("item", item.deepCopy()));
  }

  /** The open item's done events: its text or arguments whole, then the item itself. */
  private void close() {
    if (open == null) {
      return;
    }
    ObjectNode item = open;
    if (item.get("type").asText().equals("reasoning")) {
      String whole = text.toString();
      events.reasoningDone(output.size() - 1, openId, whole);
      ((ArrayNode) item.get("content")).add(ResponseMapper.reasoningPart(whole));
    } else if (item.get("type").asText().equals("message")) {
      String whole = text.toString();
      events.textDone(output.size() - 1, openId, whole);
      ObjectNode done = ResponseMapper.textPart(whole);
      events.send(part(events.event("response.content_part.done")).set("part", done));
      ((ArrayNode) item.get("content")).add(done);
    } else {
      item.put("arguments", argumentsOf(item));
      events.send(at(events.event("response.function_call_arguments.done")).put("name", item.get("name").asText())
          .put("arguments", item.get("arguments").asText()));
    }
    item.put("status", "completed");
    events.send(index(events.event("response.output_item.done")).set("item", item));
    open = null;
    openId = null;
  }

  private String argumentsOf(ObjectNode item) {
    for (ToolItem tool : toolItems.values()) {
      if (tool.item() == item) {
        return tool.arguments().toString();
      }
    }
    return "";
  }

  /** The open item is always the output's last. */
  private ObjectNode index(ObjectNode event) {
    return event.put("output_index", output.size() - 1);
  }

  private ObjectNode at(ObjectNode event) {
    return index(event).put("item_id", open.get("id").asText());
  }

  private ObjectNode part(ObjectNode event) {
    return at(event).put("content_index", 0);
  }
}
