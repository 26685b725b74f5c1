package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tollgate.openai.Json;

/**
 * A conversation as the Responses API's items, what a stored response keeps of its request: a string input is one
 * user message, and a continuation is its previous response's items, then that response's output, then its own
 * input. Instructions are no items, so they do not carry over (as OpenAI documents). Pure functions.
 */
final class InputItems {
  private InputItems() {
  }

  /** A request's input (a string or checked items) as items. */
  static ArrayNode of(JsonNode input) {
    ArrayNode items = Json.MAPPER.createArrayNode();
    if (input.isTextual()) {
      items.addObject().put("type", "message").put("role", "user").put("content", input.asText());
    } else {
      input.forEach(item -> items.add(item.deepCopy()));
    }
    return items;
  }

  /** The items a continuation of {@code previous} (its stored input items, its Response) sends before its own. */
  static ArrayNode continued(JsonNode previousItems, JsonNode previousResponse, JsonNode input) {
    ArrayNode items = Json.MAPPER.createArrayNode();
    items.addAll((ArrayNode) previousItems);
    ResponsesRequest.continuable(previousResponse.path("output"));
    previousResponse.path("output").forEach(items::add);
    items.addAll(of(input));
    return items;
  }
}
