package io.tollgate.inbound;

import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.ClientRelay;
import io.tollgate.upstream.SseListener;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.UsageTally;

/**
 * An upstream's own stream, for a client that speaks the upstream's dialect: each event handed on as it arrives,
 * its data unchanged. The dialect reads on the way only what the request log needs (usage, errors) and says which
 * events carry the answer's text, kept for counting should the stream be cut before its usage. An error before the
 * stream opened goes back to the attempts, which may try again; after, the dialect's error event ends the stream.
 */
public final class NativeRelay extends ClientRelay implements SseListener {
  /** One dialect's reading of its own events; one per stream, called on one thread at a time. */
  public interface Dialect {
    /** False for an event the client's dialect has no place for. */
    default boolean relays(byte[] data) {
      return true;
    }

    /** The name an event goes out under: the upstream's, or one the dialect reads from the data. */
    default String name(String upstreamName, byte[] data) {
      return upstreamName;
    }

    /** Notes what the log needs of an event (usage, an error) before it goes out; called for every event. */
    void note(String name, byte[] data);

    /** How an event counts toward the answer's text, or null when it carries none. */
    UsageTally.Pieces text(String name);

    /** After the stream opened: writes the dialect's error event and ends the reply. */
    void fail(AsyncReply reply, GatewayException error);
  }

  private final Route route;
  private final Dialect dialect;
  private boolean ended;

  public NativeRelay(AsyncReply reply, RequestLog log, Route route, Attempts attempts, Dialect dialect) {
    super(reply, log, attempts);
    this.route = route;
    this.dialect = dialect;
  }

  @Override
  public void onEvent(String name, byte[] data) {
    if (ended || !dialect.relays(data)) {
      return;
    }
    log.firstByte();
    String relayed = dialect.name(name, data);
    dialect.note(relayed, data);
    if (reply.event(relayed, data)) {
      UsageTally.Pieces text = dialect.text(relayed);
      if (text != null) {
        log.tally().sent(text, data);
      } else {
        log.tally().began();
      }
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
    dialect.fail(reply, e);
  }

  @Override
  public void onClose() {
    if (!ended) {
      ended = true;
      reply.end();
    }
  }
}
