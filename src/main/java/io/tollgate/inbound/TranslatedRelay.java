package io.tollgate.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.ClientRelay;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;
import java.io.IOException;

/**
 * Any adapter's OpenAI chunks, written to a client of another dialect as that dialect's events, with the request
 * log told about the first byte, usage and errors on the way. An error before the stream opened goes back to the
 * attempts (another may follow, or the client gets an HTTP error answer); after, the dialect's error ends the stream.
 */
public final class TranslatedRelay extends ClientRelay implements ChunkSink {
  private final Billing billing;
  /** A dialect's stream: OpenAI chunks in, its events out through the reply. One per stream, one thread at a time. */
  public interface Events {
    void chunk(JsonNode chunk);

    /** The last events, after the upstream's last chunk; the relay ends the reply. */
    void finish();

    /** An error once the stream is open: the dialect's last event(s); the relay ends the reply. */
    void fail(GatewayException error);
  }

  private final Events events;
  private boolean ended;

  public TranslatedRelay(AsyncReply reply, RequestLog log, Events events, Attempts attempts, Billing billing) {
    super(reply, log, attempts);
    this.billing = billing;
    this.events = events;
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
      // An OpenAI-compatible upstream's error inside its stream: the client expects its dialect's error event.
      attempts.cancel();
      onError(GatewayException.of(ErrorType.UPSTREAM_ERROR, facts.errorMessage()));
      return;
    }
    try {
      opened();
      events.chunk(Json.tree(json));
      log.tally().sent(UsageTally.Pieces.OPENAI_CHUNKS, json);
    } catch (IOException e) {
      attempts.cancel();
      onError(GatewayException.of(ErrorType.UPSTREAM_ERROR, "the upstream sent an unreadable stream event"));
    }
  }

  @Override
  public void onError(GatewayException error) {
    if (ended || retried(error)) {
      return;
    }
    ended = true;
    log.upstreamFailed(error.status(), error.getMessage());
    events.fail(error);
    reply.end();
  }

  @Override
  public void onComplete() {
    if (ended) {
      return;
    }
    ended = true;
    events.finish();
    reply.end();
  }
}
