package io.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link FakeUpstream} answers when nothing is enqueued: fixed, schema-valid OpenAI bodies chosen by path, and
 * on Anthropic's and Gemini's own paths their native answers ({@link NativeAnswers}).
 */
final class DefaultAnswers {

  static final String CONTENT = "Hello from fake";
  private static final List<String> DELTAS = List.of("Hel", "lo ", "fake");
  private static final long CREATED = 1_700_000_000L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DefaultAnswers() {
  }

  static FakeResponse answer(RecordedRequest request) {
    String path = request.path().split("\\?", 2)[0];
    boolean post = request.method().equals("POST");
    FakeResponse nativeAnswer = post ? NativeAnswers.answer(path, body(request)) : null;
    if (nativeAnswer != null) {
      return nativeAnswer;
    }
    if (post && path.endsWith("/chat/completions")) {
      return chat(body(request));
    }
    if (post && path.endsWith("/completions")) {
      return completion(body(request));
    }
    if (post && path.endsWith("/embeddings")) {
      return FakeResponse.json(200, embeddings(body(request)).toString());
    }
    if (request.method().equals("GET") && path.endsWith("/models")) {
      return FakeResponse.json(200, models().toString());
    }
    ObjectNode error = MAPPER.createObjectNode();
    error.putObject("error").put("message", "Unknown request URL: " + request.method() + " " + path)
        .put("type", "invalid_request_error").putNull("param").put("code", "unknown_url");
    return FakeResponse.json(404, error.toString());
  }

  private static FakeResponse chat(JsonNode request) {
    String model = request.path("model").asText("fake-model");
    if (!request.path("stream").asBoolean(false)) {
      ObjectNode choice = MAPPER.createObjectNode().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", CONTENT).putNull("refusal");
      choice.putNull("logprobs").put("finish_reason", "stop");
      return FakeResponse.json(200, envelope("chatcmpl-fake", "chat.completion", model, choice, true).toString());
    }
    boolean usage = includeUsage(request);
    List<String> events = new ArrayList<>();
    events.add(chatChunk(model, MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null, usage));
    DELTAS.forEach(d -> events.add(chatChunk(model, MAPPER.createObjectNode().put("content", d), null, usage)));
    events.add(chatChunk(model, MAPPER.createObjectNode(), "stop", usage));
    return finishStream(events, usage, "chatcmpl-fake", "chat.completion.chunk", model);
  }

  private static FakeResponse completion(JsonNode request) {
    String model = request.path("model").asText("fake-model");
    if (!request.path("stream").asBoolean(false)) {
      ObjectNode choice = completionChoice(CONTENT, "stop");
      return FakeResponse.json(200, envelope("cmpl-fake", "text_completion", model, choice, true).toString());
    }
    boolean usage = includeUsage(request);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < DELTAS.size(); i++) {
      ObjectNode choice = completionChoice(DELTAS.get(i), i == DELTAS.size() - 1 ? "stop" : null);
      ObjectNode chunk = envelope("cmpl-fake", "text_completion", model, choice, false);
      events.add((usage ? chunk.putNull("usage") : chunk).toString());
    }
    return finishStream(events, usage, "cmpl-fake", "text_completion", model);
  }

  private static ObjectNode embeddings(JsonNode request) {
    JsonNode input = request.path("input");
    // An array of token ids is one input; an array of strings or of token arrays is several.
    boolean several = input.isArray() && input.size() > 0 && !input.get(0).isNumber();
    ObjectNode response = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = response.putArray("data");
    for (int i = 0; i < (several ? input.size() : 1); i++) {
      data.addObject().put("object", "embedding").put("index", i)
          .putArray("embedding").add(0.1).add(0.2).add(0.3);
    }
    response.put("model", request.path("model").asText("fake-embedding"));
    response.putObject("usage").put("prompt_tokens", 2).put("total_tokens", 2);
    return response;
  }

  private static ObjectNode models() {
    ObjectNode list = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (String id : List.of("fake-model", "fake-model-2")) {
      data.addObject().put("id", id).put("object", "model").put("created", CREATED).put("owned_by", "fake");
    }
    return list;
  }

  private static String chatChunk(String model, ObjectNode delta, String finishReason, boolean usage) {
    ObjectNode choice = MAPPER.createObjectNode().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs").put("finish_reason", finishReason);
    ObjectNode chunk = envelope("chatcmpl-fake", "chat.completion.chunk", model, choice, false);
    return (usage ? chunk.putNull("usage") : chunk).toString();
  }

  private static ObjectNode completionChoice(String text, String finishReason) {
    return MAPPER.createObjectNode().put("text", text).put("index", 0).putNull("logprobs")
        .put("finish_reason", finishReason);
  }

  /** Appends the usage-only chunk when {@code stream_options.include_usage} asked for it, then [DONE]. */
  private static FakeResponse finishStream(List<String> events, boolean usage, String id, String object,
      String model) {
    if (usage) {
      ObjectNode last = MAPPER.createObjectNode().put("id", id).put("object", object).put("created", CREATED)
          .put("model", model);
      last.putArray("choices");
      last.set("usage", usage());
      events.add(last.toString());
    }
    events.add("[DONE]");
    return FakeResponse.sse(events, Duration.ZERO);
  }

  private static ObjectNode envelope(String id, String object, String model, ObjectNode choice, boolean usage) {
    ObjectNode node = MAPPER.createObjectNode().put("id", id).put("object", object).put("created", CREATED)
        .put("model", model);
    node.putArray("choices").add(choice);
    if (usage) {
      node.set("usage", usage());
    }
    return node;
  }

  private static ObjectNode usage() {
    return MAPPER.createObjectNode().put("prompt_tokens", 7).put("completion_tokens", 3).put("total_tokens", 10);
  }

  private static JsonNode body(RecordedRequest request) {
    try {
      return request.json();
    } catch (RuntimeException e) {
      return MAPPER.createObjectNode();
    }
  }

  private static boolean includeUsage(JsonNode request) {
    return request.path("stream_options").path("include_usage").asBoolean(false);
  }
}
