package io.tollgate.stream;

import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.provider.ChunkSink;
import io.tollgate.usage.RequestLog;

/**
 * Hands an adapter's chunks to the client as they come, noting time to first byte, usage and errors on the way,
 * and dropping the usage-only chunk the gateway asked for on behalf of a client that did not. A failure before the
 * stream opened goes back to the attempts, which may try again; after, it ends the stream.
 */
public final class StreamRelay implements ChunkSink {
  private final AsyncReply reply;
  private final RequestLog log;
  private final boolean clientWantsUsage;
  private final Attempts attempts;
  private boolean opened;

  public StreamRelay(AsyncReply reply, RequestLog log, boolean clientWantsUsage, Attempts attempts) {
    this.reply = reply;
    this.log = log;
    this.clientWantsUsage = clientWantsUsage;
    this.attempts = attempts;
  }

  @Override
  public void onOpen() {
    opened = true;
    attempts.began();
    reply.openStream();
  }

  @Override
  public void onChunk(byte[] json) {
    log.firstByte();
    ChunkInspector.Facts facts = ChunkInspector.inspect(json);
    if (facts.usage() != null) {
      log.usage(facts.usage());
      if (facts.emptyChoices() && !clientWantsUsage) {
        return;
      }
    }
    if (facts.errorMessage() != null) {
      log.error(facts.errorMessage());
    }
    reply.event(json, false);
  }

  @Override
  public void onPause() {
    reply.flush();
  }

  @Override
  public void onError(GatewayException error) {
    if (opened) {
      fail(error);
    } else {
      attempts.failed(error);
    }
  }

  /** The request's end in failure: an error answer, or a last error event when the stream is open. */
  public void fail(GatewayException error) {
    log.upstreamFailed(error.status(), error.getMessage());
    reply.error(error);
  }

  @Override
  public void onComplete() {
    reply.done();
  }
}
