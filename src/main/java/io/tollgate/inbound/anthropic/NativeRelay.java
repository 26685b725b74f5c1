package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.ClientRelay;
import io.tollgate.upstream.SseListener;
import io.tollgate.failover.Attempts;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;
import java.io.IOException;

/**
 * An Anthropic upstream's own stream, handed to an Anthropic client event by event, unchanged. Only usage
 * ({@code message_start}: the prompt's, {@code message_delta}: the final counts) and errors are read on the way,
 * for the request log; the content deltas that reach the client are kept for counting, should the stream be cut
 * before {@code message_delta}.
 */
final class NativeRelay extends ClientRelay implements SseListener {
  private final Route route;
  /** Anthropic's counts so far: message_delta repeats them, and each one present replaces the last. */
  private final ObjectNode usage = Json.MAPPER.createObjectNode();
  private boolean ended;

  NativeRelay(AsyncReply reply, RequestLog log, Route route, Attempts attempts, Billing billing) {
    super(reply, log, attempts, billing);
    this.route = route;
  }

  @Override
  public void onEvent(String name, byte[] data) {
    if (ended) {
      return;
    }
    log.firstByte();
    if ("message_start".equals(name) || "message_delta".equals(name) || "error".equals(name)) {
      note(name, data);
    }
    if (reply.event(name, data)) {
      if ("content_block_delta".equals(name) || "content_block_start".equals(name)) {
        log.tally().sent(UsageTally.Pieces.ANTHROPIC_EVENTS, data);
      } else {
        log.tally().began();
      }
    }
  }

  private void note(String name, byte[] data) {
    try {
      JsonNode event = Json.tree(data);
      JsonNode counts = "message_start".equals(name) ? event.path("message").path("usage") : event.path("usage");
      if (counts.isObject()) {
        usage.setAll((ObjectNode) counts);
        if ("message_delta".equals(name)) {
          billing.streamed(log, MessagesWire.logged(usage));
        } else {
          log.usage(MessagesWire.logged(usage)); // the prompt's count, until the final one comes
        }
      }
      if ("error".equals(name)) {
        log.error(event.path("error").path("message").asText("upstream error"));
      }
    } catch (IOException unreadable) {
      // passed on as it came; the client's SDK will say what it makes of it
    }
  }

  @Override
  public void onError(RuntimeException error) {
    if (ended || retried(error)) {
      return;
    }
    ended = true;
    GatewayException e = UpstreamErrors.map(error, route);
    log.upstreamFailed(e.status(), e.getMessage());
    MessagesWire.send(reply, true, e);
  }

  @Override
  public void onClose() {
    if (!ended) {
      ended = true;
      reply.end();
    }
  }

}
