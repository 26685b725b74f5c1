package io.tollgate.inbound.anthropic;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.RequestValidator;
import io.tollgate.testing.FuzzChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/messages} to a non-Anthropic upstream, both ways. In: any client bytes give an OpenAI chat request
 * that passes the chat route's own checks, or a 4xx. Back: any OpenAI answer becomes a message (or the
 * upstream's 502), and any OpenAI chunks, one per line as the adapters hand them over, become a well-formed
 * Anthropic event sequence. Seeds: {@code MessagesFuzzTestInputs/<method>/}.
 */
class MessagesFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void request(byte[] body) {
    FuzzChecks.clientInput(() -> {
      MessagesRequest call = MessagesRequest.parse(body, false);
      TokenEstimate.of(call.body());
      FuzzChecks.written(RequestValidator.parse(Endpoint.CHAT, RequestMapper.toOpenAi(call.body(), call.stream()))
          .body());
    });
    FuzzChecks.clientInput(() -> TokenEstimate.of(MessagesRequest.parse(body, true).body()));
  }

  /** As Translation.send reads a whole answer: what is not JSON is the upstream's 502 before the mapper runs. */
  @FuzzTest(maxDuration = "2m")
  void answer(byte[] completion) {
    JsonNode tree;
    try {
      tree = Json.tree(completion);
    } catch (IOException notJson) {
      return;
    }
    JsonNode message = AnswerMapper.toMessage(tree, "sent-model");
    FuzzChecks.written(message);
    if (!message.path("content").isArray() || !message.path("stop_reason").isTextual()) {
      throw new AssertionError("not a message: " + message);
    }
  }

  /** As MessagesRelay feeds the stream: an error chunk or an unreadable one ends it, the rest become events. */
  @FuzzTest(maxDuration = "2m")
  void stream(byte[] chunks) {
    List<String> names = new ArrayList<>();
    Set<Integer> started = new HashSet<>();
    MessagesStream stream = new MessagesStream((name, data) -> {
      if (!name.equals(data.path("type").asText())) {
        throw new AssertionError("event " + name + " with type " + data.path("type"));
      }
      if (name.equals("content_block_start") && !started.add(data.get("index").asInt())) {
        throw new AssertionError("block " + data.get("index") + " started twice");
      }
      if (name.equals("content_block_delta") && !started.contains(data.get("index").asInt())) {
        throw new AssertionError("a delta for block " + data.get("index") + ", which never started");
      }
      names.add(name);
    }, "msg_fuzz", "sent-model", 7);
    for (String line : new String(chunks, StandardCharsets.UTF_8).split("\n")) {
      byte[] json = line.getBytes(StandardCharsets.UTF_8);
      if (ChunkInspector.inspect(json).errorMessage() != null) {
        return; // the relay sends an error event instead
      }
      try {
        stream.chunk(Json.tree(json));
      } catch (IOException unreadable) {
        return; // likewise
      }
    }
    stream.finish();
    if (!names.get(0).equals("message_start") || !names.get(names.size() - 1).equals("message_stop")
        || !names.get(names.size() - 2).equals("message_delta")) {
      throw new AssertionError("events out of order: " + names);
    }
  }
}
