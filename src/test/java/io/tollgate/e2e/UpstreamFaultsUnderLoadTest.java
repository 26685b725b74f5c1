package io.tollgate.e2e;

import io.tollgate.e2e.FaultCalls.Lane;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of upstream fault at once, under concurrent load, for OpenAI's chat completions in front of
 * OpenAI-compatible upstreams: an upstream that refuses connections, resets them, never answers, trickles, drops
 * the answer half-way, answers 500, 503 or 429, healthy ones, and clients that leave while they wait or mid-stream.
 * The run and its checks are {@link FaultLoad}'s; the other dialect and provider types are
 * {@link UpstreamFaultsInEveryDialectUnderLoadTest}'s.
 */
class UpstreamFaultsUnderLoadTest {
  private static final int ROUNDS = 16;
  private static FaultLoad load;

  @BeforeAll
  static void start() throws Exception {
    load = FaultLoad.start(List.of(UpstreamType.OPENAI));
  }

  @AfterAll
  static void stop() {
    if (load != null) {
      load.close();
    }
  }

  @Test
  void everyFaultUnderLoadGetsItsAnswerAndARowAndLeavesNothingBehind() throws Exception {
    load.run(List.of(new Lane(ClientDialect.OPENAI, UpstreamType.OPENAI)), ROUNDS);
  }
}
