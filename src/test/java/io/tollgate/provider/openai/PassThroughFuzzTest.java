package io.tollgate.provider.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.provider.Route;
import io.tollgate.testing.FuzzChecks;
import io.tollgate.testing.FuzzSink;

/**
 * An OpenAI-compatible upstream's stream, passed through: any body gives its events as chunks and ends exactly once. Seeds:
 * {@code PassThroughFuzzTestInputs/stream/}.
 */
class PassThroughFuzzTest {
  private static final Route ROUTE = new Route("gpt-test", "openai-main", "openai", "http://127.0.0.1:9",
      "gpt-4o", null, false);

  @FuzzTest(maxDuration = "2m")
  void stream(byte[] body) {
    FuzzSink sink = FuzzSink.passedThrough();
    FuzzChecks.play(body, new PassThroughStream(sink, ROUTE));
    if (!sink.ended()) {
      throw new AssertionError("the stream never ended");
    }
  }
}
