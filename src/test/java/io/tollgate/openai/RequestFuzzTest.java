package io.tollgate.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.inbound.gemini.GeminiBody;
import io.tollgate.testing.FuzzChecks;

/**
 * A client's body on each OpenAI route, as ProxyServlet reads it (a Gemini-style chat body converted first): any
 * bytes give a request or a 4xx. An upstream's OpenAI answer or chunk, as every relay inspects it for usage and
 * errors: any bytes give facts or none, never an exception. Seeds: {@code RequestFuzzTestInputs/<method>/}.
 */
class RequestFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void chat(byte[] body) {
    FuzzChecks.clientInput(() -> parse(Endpoint.CHAT, body));
  }

  @FuzzTest(maxDuration = "2m")
  void completions(byte[] body) {
    FuzzChecks.clientInput(() -> parse(Endpoint.COMPLETIONS, body));
  }

  @FuzzTest(maxDuration = "2m")
  void embeddings(byte[] body) {
    FuzzChecks.clientInput(() -> parse(Endpoint.EMBEDDINGS, body));
  }

  /** OpenAI and Azure answers and stream events: ChunkInspector reads usage and errors from untrusted bytes. */
  @FuzzTest(maxDuration = "2m")
  void upstreamAnswer(byte[] answer) {
    Usage usage = ChunkInspector.inspect(answer).usage();
    if (usage != null && (negative(usage.promptTokens()) || negative(usage.completionTokens())
        || negative(usage.cachedTokens()) || negative(usage.reasoningTokens()))) {
      throw new AssertionError("a negative token count, which would bill a negative cost: " + usage);
    }
  }

  private static boolean negative(Integer count) {
    return count != null && count < 0;
  }

  private static OpenAiRequest parse(Endpoint endpoint, byte[] body) {
    ObjectNode root = RequestValidator.object(body);
    if (endpoint == Endpoint.CHAT && GeminiBody.matches(root)) {
      root = GeminiBody.toOpenAi(root);
    }
    return RequestValidator.parse(endpoint, root);
  }
}
