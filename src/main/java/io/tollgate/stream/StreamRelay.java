package io.tollgate.stream;

import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.provider.ChunkSink;
import io.tollgate.upstream.UpstreamCall;
import io.tollgate.usage.RequestLog;

/**
 * Hands an adapter's chunks to the client as they come, noting time to first byte, usage and errors on the way,
 * and dropping the usage-only chunk the gateway asked for on behalf of a client that did not.
 */
public final class StreamRelay implements ChunkSink {
  private final AsyncReply reply;
  private final RequestLog log;
  private final boolean clientWantsUsage;
  private volatile UpstreamCall call = UpstreamCall.NONE;
  private volatile boolean clientGone;

  public StreamRelay(AsyncReply reply, RequestLog log, boolean clientWantsUsage) {
    this.reply = reply;
    this.log = log;
    this.clientWantsUsage = clientWantsUsage;
    reply.onClientGone(this::clientLeft);
  }

  /** The upstream call to cancel if the client leaves. */
  public void attach(UpstreamCall upstreamCall) {
    this.call = upstreamCall;
    if (clientGone) {
      upstreamCall.cancel();
    }
  }

  @Override
  public void onOpen() {
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
    log.upstreamFailed(error.status(), error.getMessage());
    reply.error(error);
  }

  @Override
  public void onComplete() {
    reply.done();
  }

  private void clientLeft() {
    clientGone = true;
    log.error("client closed the connection");
    call.cancel();
  }
}
