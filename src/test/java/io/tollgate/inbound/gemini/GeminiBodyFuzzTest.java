package io.tollgate.inbound.gemini;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.RequestValidator;
import io.tollgate.testing.FuzzChecks;

/**
 * A Gemini-style body on {@code /v1/chat/completions}: any bytes with {@code contents} give the OpenAI chat request
 * they mean, checked as every chat request is, or a 4xx. Seeds: {@code GeminiBodyFuzzTestInputs/body/}.
 */
class GeminiBodyFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void body(byte[] body) {
    FuzzChecks.clientInput(() -> {
      ObjectNode root = RequestValidator.object(body);
      if (GeminiBody.matches(root)) {
        FuzzChecks.written(RequestValidator.parse(Endpoint.CHAT, GeminiBody.toOpenAi(root)).body());
      }
    });
  }
}
