package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.EndHold;
import io.tollgate.stream.ReplyTap;
import io.tollgate.usage.RequestLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's response, kept as the client gets it: a whole answer's body, or the response a stream's
 * {@code response.completed} (or {@code .incomplete}) event carried. The reply's successful end waits until it is
 * stored, so a {@code GET} or a continuation right after finds it; a reply that failed stores nothing. A response
 * that cannot be stored ends its reply with a 503 instead (a stream with an {@code error} event after its last one):
 * the client must not take for kept a response that is not (as a session turn, session/SessionTurn).
 */
final class ResponseKeeping implements ReplyTap, EndHold {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseKeeping.class);
  private final StoredResponses stored;
  private final ResponseOwner owner;
  private final ArrayNode inputItems;
  private final RequestLog log;
  private volatile AsyncReply reply;
  private JsonNode streamed;
  private boolean failed;
  private long sequence = -1;

  ResponseKeeping(StoredResponses stored, ResponseOwner owner, ArrayNode inputItems, RequestLog log) {
    this.stored = stored;
    this.owner = owner;
    this.inputItems = inputItems;
    this.log = log;
  }

  /** Watches the reply's answer and holds its end until the response is stored. */
  void attach(AsyncReply reply) {
    this.reply = reply;
    reply.tap(this);
    reply.holdEnd(this);
  }

  @Override
  public synchronized void event(String name, byte[] json) {
    if ("error".equals(name) || "response.failed".equals(name)) {
      failed = true;
    }
    if ("response.completed".equals(name) || "response.incomplete".equals(name)) {
      // The stream's last event: the only one read here, so the deltas before it cost nothing.
      JsonNode event = Json.treeOrMissing(json);
      sequence = event.path("sequence_number").asLong(sequence);
      streamed = event.path("response");
    }
  }

  @Override
  public CompletionStage<?> beforeEnd(byte[] wholeAnswer) {
    JsonNode response;
    synchronized (this) {
      response = wholeAnswer != null ? Json.treeOrMissing(wholeAnswer) : failed ? null : streamed;
    }
    if (response == null || !response.path("id").isTextual()) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return stored.keep(owner, inputItems, response, "hit".equals(log.cacheStatus())).exceptionally(e -> {
        notStored(response.get("id").asText(), e instanceof CompletionException c && c.getCause() != null
            ? c.getCause() : e);
        return null;
      });
    } catch (RuntimeException e) {
      // The reply must end whatever happens here (a worker pool shut down, say).
      LOG.warn("response {} was not stored: {}", response.get("id").asText(), e.toString());
      return CompletableFuture.completedFuture(null);
    }
  }

  /** Ends the reply with the failure instead of its successful end, which then finds the reply finished. */
  private void notStored(String id, Throwable failure) {
    LOG.info("response {} was not stored, the client gets a 503: {}", id, failure.toString());
    GatewayException e = failure instanceof GatewayException g ? g : GatewayException.of(
        ErrorType.SERVICE_UNAVAILABLE, "Response " + id + " could not be stored. Try again shortly.");
    if (!reply.streamOpened()) {
      reply.error(e);
      return;
    }
    ObjectNode event = ResponsesWire.errorEvent(e);
    synchronized (this) {
      event.put("sequence_number", sequence + 1);
    }
    reply.event("error", Json.bytes(event));
    reply.end(); // its hold was taken already: this ends the stream
  }

}
