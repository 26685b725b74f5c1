package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.openai.Json;
import io.tollgate.openai.Usage;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.stream.AsyncReply;
import io.tollgate.upstream.SseListener;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;
import java.util.Arrays;
import java.util.Set;

/**
 * A Responses API upstream's own typed events, handed to the client one by one as they arrive, their data
 * unchanged. Only the last event ({@code response.completed}, {@code .incomplete} or {@code .failed}: its
 * response's usage) and {@code error} are read on the way, for the request log; the deltas that reach the client
 * are kept for counting, should the stream be cut before its last event.
 */
final class PassThroughEvents implements SseListener {
  private static final Set<String> LAST = Set.of("response.completed", "response.incomplete", "response.failed");
  private static final byte[] DONE = "[DONE]".getBytes();

  private final AsyncReply reply;
  private final RequestLog log;
  private final Route route;
  private final Attempts attempts;
  private final Billing billing;
  /** Events relayed: the upstream numbers them from 0, so this is the next sequence_number. */
  private long relayed;
  private boolean opened;
  private boolean ended;

  PassThroughEvents(AsyncReply reply, RequestLog log, Route route, Attempts attempts, Billing billing) {
    this.reply = reply;
    this.log = log;
    this.route = route;
    this.attempts = attempts;
    this.billing = billing;
  }

  @Override
  public void onOpen() {
    opened = true;
    attempts.began();
    reply.openStream();
  }

  @Override
  public void onEvent(String name, byte[] data) {
    if (ended || data.length == 0 || Arrays.equals(data, DONE)) {
      return; // the Responses API ends its streams without [DONE]; some compatible servers send one anyway
    }
    log.firstByte();
    // Servers that leave out the event: line still say the type in the data; the reply's taps go by the name.
    String type = name != null ? name : Json.treeOrMissing(data).path("type").asText(null);
    if (LAST.contains(type) || "error".equals(type)) {
      note(type, data);
    }
    if (reply.event(type, data)) {
      relayed++;
      if (type != null && type.endsWith(".delta")) {
        log.tally().sent(UsageTally.Pieces.RESPONSES_EVENTS, data);
      } else {
        log.tally().began();
      }
    }
  }

  private void note(String type, byte[] data) {
    JsonNode event = Json.treeOrMissing(data);
    if ("error".equals(type)) {
      log.error(event.path("message").asText("upstream error"));
      return;
    }
    JsonNode usage = event.path("response").path("usage");
    if (usage.isObject()) {
      billing.streamed(log, new Usage(count(usage.get("input_tokens")), count(usage.get("output_tokens")),
          count(usage.path("input_tokens_details").get("cached_tokens")),
          count(usage.path("output_tokens_details").get("reasoning_tokens"))));
    }
    if ("response.failed".equals(type)) {
      log.error(event.path("response").path("error").path("message").asText("the upstream's response failed"));
    }
  }

  private static Integer count(JsonNode n) {
    return n != null && n.canConvertToInt() && n.intValue() >= 0 ? n.intValue() : null;
  }

  @Override
  public boolean onPause(Runnable more) {
    return reply.flush(more);
  }

  @Override
  public void onError(RuntimeException error) {
    if (ended) {
      return;
    }
    if (!opened) {
      attempts.failed(error);
      return;
    }
    ended = true;
    GatewayException e = UpstreamErrors.map(error, route);
    log.upstreamFailed(e.status(), e.getMessage());
    ObjectNode event = ResponsesWire.errorEvent(e).put("sequence_number", relayed);
    reply.event("error", Json.bytes(event));
    reply.end();
  }

  @Override
  public void onClose() {
    if (!ended) {
      ended = true;
      reply.end();
    }
  }
}
