package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.GatewayException;
import io.tollgate.inbound.NativeRelay;
import io.tollgate.openai.Json;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;
import java.io.IOException;

/**
 * An Anthropic upstream's own stream as an Anthropic client gets it ({@link NativeRelay}): usage is read from
 * {@code message_start} (the prompt's) and {@code message_delta} (the final counts), the content deltas count as the
 * answer's text, and a failure ends the stream with Anthropic's {@code error} event.
 */
final class NativeEvents implements NativeRelay.Dialect {
  private final RequestLog log;
  private final Billing billing;
  /** Anthropic's counts so far: message_delta repeats them, and each one present replaces the last. */
  private final ObjectNode usage = Json.MAPPER.createObjectNode();

  NativeEvents(RequestLog log, Billing billing) {
    this.log = log;
    this.billing = billing;
  }

  @Override
  public void note(String name, byte[] data) {
    if (!"message_start".equals(name) && !"message_delta".equals(name) && !"error".equals(name)) {
      return;
    }
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
  public UsageTally.Pieces text(String name) {
    return "content_block_delta".equals(name) || "content_block_start".equals(name)
        ? UsageTally.Pieces.ANTHROPIC_EVENTS : null;
  }

  @Override
  public void fail(AsyncReply reply, GatewayException error) {
    MessagesWire.send(reply, true, error);
  }
}
