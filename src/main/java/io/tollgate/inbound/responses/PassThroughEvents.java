package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.GatewayException;
import io.tollgate.inbound.NativeRelay;
import io.tollgate.openai.Json;
import io.tollgate.openai.Usage;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;
import java.util.Arrays;
import java.util.Set;

/**
 * A Responses API upstream's own typed events as the client gets them ({@link NativeRelay}): only the last event
 * ({@code response.completed}, {@code .incomplete} or {@code .failed}: its response's usage) and {@code error} are
 * read, for the request log; the {@code *.delta} events count as the answer's text; a failure after the stream
 * opened ends it with an {@code error} event numbered after the upstream's last.
 */
final class PassThroughEvents implements NativeRelay.Dialect {
  private static final Set<String> LAST = Set.of("response.completed", "response.incomplete", "response.failed");
  private static final byte[] DONE = "[DONE]".getBytes();

  private final RequestLog log;
  private final Billing billing;
  /** Events so far: the upstream numbers them from 0, so this is the next sequence_number. */
  private long events;

  PassThroughEvents(RequestLog log, Billing billing) {
    this.log = log;
    this.billing = billing;
  }

  /** The Responses API ends its streams without [DONE]; some compatible servers send one anyway. */
  @Override
  public boolean relays(byte[] data) {
    return data.length > 0 && !Arrays.equals(data, DONE);
  }

  /** Servers that leave out the event: line still give the type in the data; the reply's taps go by the name. */
  @Override
  public String name(String upstreamName, byte[] data) {
    return upstreamName != null ? upstreamName : Json.treeOrMissing(data).path("type").asText(null);
  }

  @Override
  public void note(String name, byte[] data) {
    events++;
    if ("error".equals(name)) {
      log.error(Json.treeOrMissing(data).path("message").asText("upstream error"));
    } else if (name != null && LAST.contains(name)) { // unnamed, untyped events are relayed as they came
      JsonNode response = Json.treeOrMissing(data).path("response");
      JsonNode usage = response.path("usage");
      if (usage.isObject()) {
        billing.streamed(log, new Usage(count(usage.get("input_tokens")), count(usage.get("output_tokens")),
            count(usage.path("input_tokens_details").get("cached_tokens")),
            count(usage.path("output_tokens_details").get("reasoning_tokens"))));
      }
      if ("response.failed".equals(name)) {
        log.error(response.path("error").path("message").asText("the upstream's response failed"));
      }
    }
  }

  private static Integer count(JsonNode n) {
    return n != null && n.canConvertToInt() && n.intValue() >= 0 ? n.intValue() : null;
  }

  @Override
  public UsageTally.Pieces text(String name) {
    return name != null && name.endsWith(".delta") ? UsageTally.Pieces.RESPONSES_EVENTS : null;
  }

  @Override
  public void fail(AsyncReply reply, GatewayException error) {
    reply.event("error", Json.bytes(ResponsesWire.errorEvent(error).put("sequence_number", events)));
    reply.end();
  }
}
