package io.tollgate.stream;

import io.tollgate.cost.Billing;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.provider.ChunkSink;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;
import java.math.BigDecimal;

/**
 * Hands an adapter's chunks to the client as they come, noting time to first byte, usage and errors on the way,
 * and dropping the usage-only chunk the gateway asked for on behalf of a client that did not. A client that asked
 * finds the request's cost in it ({@code usage.cost_usd}), or a usage chunk counted by the gateway when the upstream
 * sent none. What reaches the client is kept for counting, should the stream end without the upstream's usage. A
 * failure before the stream opened goes back to the attempts, which may try again; after, it ends the stream.
 */
public final class StreamRelay extends ClientRelay implements ChunkSink {
  private final Billing billing;
  private final boolean clientWantsUsage;

  public StreamRelay(AsyncReply reply, RequestLog log, boolean clientWantsUsage, Attempts attempts, Billing billing) {
    super(reply, log, attempts);
    this.billing = billing;
    this.clientWantsUsage = clientWantsUsage;
  }

  @Override
  public void onChunk(byte[] json) {
    log.firstByte();
    ChunkInspector.Facts facts = ChunkInspector.inspect(json);
    byte[] out = json;
    if (facts.usage() != null) {
      BigDecimal cost = billing.streamed(log, facts.usage());
      if (!clientWantsUsage) {
        if (facts.emptyChoices()) {
          return;
        }
      } else if (cost != null) {
        out = UsageChunk.withCost(json, cost);
      }
    }
    if (facts.errorMessage() != null) {
      log.error(facts.errorMessage());
    }
    if (reply.event(out)) {
      log.tally().sent(UsageTally.Pieces.OPENAI_CHUNKS, json);
    }
  }

  @Override
  public void onError(GatewayException error) {
    if (!retried(error)) {
      fail(error);
    }
  }

  /** The request's end in failure: an error answer, or a last error event when the stream is open. */
  public void fail(GatewayException error) {
    log.upstreamFailed(error.status(), error.getMessage());
    reply.error(error);
  }

  @Override
  public void onComplete() {
    UsageTally tally = log.tally();
    if (clientWantsUsage && !tally.isSettled() && tally.hasBegun()) {
      // The upstream ignored include_usage: the client that asked still gets a usage chunk, with the counts.
      byte[] first = tally.first();
      billing.settle(log);
      reply.event(UsageChunk.counted(first, log.usage(), log.cost()));
    }
    reply.done();
  }
}
