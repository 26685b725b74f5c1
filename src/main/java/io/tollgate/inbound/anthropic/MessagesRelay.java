package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import io.tollgate.stream.AsyncReply;
import io.tollgate.failover.Attempts;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;
import java.io.IOException;

/**
 * Any adapter's OpenAI chunks, written to an Anthropic client as Anthropic's events, with the request log told
 * about the first byte, usage and errors on the way. An error before the stream opened goes back to the attempts
 * (another may follow, or the client gets an HTTP error answer); after, an {@code error} event ends the stream.
 */
final class MessagesRelay implements ChunkSink {
  private final AsyncReply reply;
  private final RequestLog log;
  private final MessagesStream stream;
  private final Attempts attempts;
  private final Billing billing;
  private boolean opened;
  private boolean ended;

  MessagesRelay(AsyncReply reply, RequestLog log, String model, int inputEstimate, Attempts attempts,
      Billing billing) {
    this.reply = reply;
    this.log = log;
    this.attempts = attempts;
    this.billing = billing;
    this.stream = new MessagesStream((name, data) -> reply.event(name, Json.bytes(data)), model,
        inputEstimate);
  }

  @Override
  public void onOpen() {
    opened = true;
    attempts.began();
    reply.openStream();
  }

  @Override
  public void onChunk(byte[] json) {
    if (ended) {
      return;
    }
    log.firstByte();
    ChunkInspector.Facts facts = ChunkInspector.inspect(json);
    if (facts.usage() != null) {
      billing.streamed(log, facts.usage());
    }
    if (facts.errorMessage() != null) {
      // An OpenAI-compatible upstream's error inside its stream: Anthropic's clients expect an error event.
      attempts.cancel();
      onError(GatewayException.of(ErrorType.UPSTREAM_ERROR, facts.errorMessage()));
      return;
    }
    try {
      opened = true;
      stream.chunk(Json.tree(json));
      log.tally().sent(UsageTally.Pieces.OPENAI_CHUNKS, json);
    } catch (IOException e) {
      attempts.cancel();
      onError(GatewayException.of(ErrorType.UPSTREAM_ERROR, "the upstream sent an unreadable stream event"));
    }
  }

  @Override
  public boolean onPause(Runnable more) {
    return reply.flush(more);
  }

  @Override
  public void onError(GatewayException error) {
    if (ended) {
      return;
    }
    if (!opened) {
      attempts.failed(error);
      return;
    }
    ended = true;
    log.upstreamFailed(error.status(), error.getMessage());
    MessagesWire.send(reply, opened, error);
  }

  @Override
  public void onComplete() {
    if (ended) {
      return;
    }
    ended = true;
    stream.finish();
    reply.end();
  }

}
