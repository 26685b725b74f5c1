package io.tollgate.provider.anthropic;

import static io.tollgate.provider.anthropic.Fixtures.CREATED;
import static io.tollgate.provider.anthropic.Fixtures.ROUTE;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.testing.FuzzChecks;
import io.tollgate.testing.FuzzSink;
import java.io.IOException;

/**
 * The Anthropic provider type both ways. Out: any OpenAI chat or completions body that passes the route's checks
 * becomes a Messages body, or a 4xx. Back: any answer body becomes an OpenAI answer (or the upstream's 502), and
 * any stream body becomes chunks ending exactly once. Seeds: {@code AnthropicFuzzTestInputs/<method>/}.
 */
class AnthropicFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void request(byte[] body) {
    for (Endpoint endpoint : new Endpoint[] {Endpoint.CHAT, Endpoint.COMPLETIONS}) {
      FuzzChecks.clientInput(() -> {
        OpenAiRequest request = RequestValidator.parse(endpoint, body);
        FuzzChecks.written(AnthropicMapper.toMessages(ROUTE, request).body());
      });
    }
  }

  /** As AnthropicAdapter reads an answer: what is not a JSON object is the upstream's 502 before the mapper runs. */
  @FuzzTest(maxDuration = "2m")
  void answer(byte[] body) {
    JsonNode message;
    try {
      message = Json.tree(body);
    } catch (IOException notJson) {
      return;
    }
    if (message == null || !message.isObject()) {
      return;
    }
    FuzzChecks.upstreamInput(() -> {
      FuzzChecks.written(AnthropicMapper.toChatCompletion(message, false, "sent-model", CREATED));
      FuzzChecks.written(AnthropicMapper.toChatCompletion(message, true, "sent-model", CREATED));
      FuzzChecks.written(AnthropicMapper.toTextCompletion(message, "sent-model", CREATED));
      FuzzChecks.written(AnthropicMapper.toModelList(message));
    });
  }

  @FuzzTest(maxDuration = "2m")
  void stream(byte[] body) {
    play(body, Endpoint.CHAT, false);
    play(body, Endpoint.CHAT, true);
    play(body, Endpoint.COMPLETIONS, false);
  }

  private static void play(byte[] body, Endpoint endpoint, boolean jsonTool) {
    FuzzSink sink = FuzzSink.translated();
    FuzzChecks.play(body, new AnthropicStream(sink, ROUTE, endpoint, jsonTool, CREATED));
    if (!sink.ended()) {
      throw new AssertionError("the stream never ended");
    }
  }
}
