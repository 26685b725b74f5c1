package io.tollgate.e2e;

import io.tollgate.e2e.FaultCalls.Lane;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The faults of {@link UpstreamFaultsUnderLoadTest}, all at once under load, for the pairs it leaves out: OpenAI's
 * chat completions in front of Anthropic and Gemini upstreams (their native answers, error bodies, and streams
 * dropped mid-event), and Anthropic's Messages API (plain and streamed) in front of all three provider types, where
 * errors take Anthropic's shape and a broken stream ends in Anthropic's {@code event: error}. An Anthropic client
 * on an Anthropic upstream takes the pass-through path, the others a translation.
 */
class UpstreamFaultsInEveryDialectUnderLoadTest {
  /** 5 lanes of 10 faults, plain and streamed: 100 calls a round. */
  private static final int ROUNDS = 3;
  private static final List<Lane> LANES = List.of(
      new Lane(ClientDialect.OPENAI, UpstreamType.ANTHROPIC),
      new Lane(ClientDialect.OPENAI, UpstreamType.GEMINI),
      new Lane(ClientDialect.ANTHROPIC, UpstreamType.OPENAI),
      new Lane(ClientDialect.ANTHROPIC, UpstreamType.ANTHROPIC),
      new Lane(ClientDialect.ANTHROPIC, UpstreamType.GEMINI));
  private static FaultLoad load;

  @BeforeAll
  static void start() throws Exception {
    load = FaultLoad.start(List.of(UpstreamType.values()));
  }

  @AfterAll
  static void stop() {
    if (load != null) {
      load.close();
    }
  }

  @Test
  void everyFaultInEveryDialectAndProviderTypeGetsItsAnswerAndARowAndLeavesNothingBehind() throws Exception {
    load.run(LANES, ROUNDS);
  }
}
