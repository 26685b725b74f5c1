package io.tollgate.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.EndHold;
import io.tollgate.stream.ReplyTap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's turn of a session: the client messages it adds, and the answer the client got, seen through its
 * reply. At the reply's successful end the turn is stored, and only then does the end go out, so the client's next
 * turn sees it. A reply that fails, or a stream that carried an error or that the client left, stores nothing. A
 * turn that cannot be stored ends its reply with a 503 in the dialect's shape instead (a stream with an error event
 * in place of its end): the client must not take for kept a turn that the session lost.
 */
public final class SessionTurn implements ReplyTap, EndHold {
  private static final Logger LOG = LoggerFactory.getLogger(SessionTurn.class);
  private final Sessions sessions;
  private final Owner owner;
  private final Dialect dialect;
  private final String model;
  private final JsonNode system;
  private final List<JsonNode> added;
  private final AnswerCollector answer;
  private volatile AsyncReply reply;

  /** Who a session belongs to and its id. */
  record Owner(long keyId, String sessionId) {
  }

  SessionTurn(Sessions sessions, Owner owner, Dialect dialect, String model, JsonNode system, List<JsonNode> added) {
    this.sessions = sessions;
    this.owner = owner;
    this.dialect = dialect;
    this.model = model;
    this.system = system;
    this.added = added;
    this.answer = dialect.answer();
  }

  /** Watches the reply's answer and holds its end until the turn is stored. */
  public void attach(AsyncReply reply) {
    this.reply = reply;
    reply.tap(this);
    reply.holdEnd(this);
  }

  @Override
  public void event(String name, byte[] json) {
    answer.event(name, json);
  }

  @Override
  public CompletionStage<?> beforeEnd(byte[] wholeAnswer) {
    if (answer.failed()) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      ObjectNode message = wholeAnswer != null ? answer.whole(wholeAnswer) : answer.streamed();
      return sessions.store(this, message).exceptionally(e -> {
        notStored(e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e);
        return null;
      });
    } catch (RuntimeException e) {
      // The reply must end whatever happens here (a worker pool shut down, say).
      LOG.warn("session {} of key {}: the turn was not stored: {}", owner.sessionId(), owner.keyId(), e.toString());
      return CompletableFuture.completedFuture(null);
    }
  }

  /** Ends the reply with the failure instead of its successful end, which then finds the reply finished. */
  private void notStored(Throwable failure) {
    LOG.info("session {} of key {}: the turn was not stored, the client gets a 503: {}", owner.sessionId(),
        owner.keyId(), failure.toString());
    GatewayException e = failure instanceof GatewayException g ? g
        : GatewayException.of(ErrorType.SERVICE_UNAVAILABLE, "The answer could not be kept in session "
            + owner.sessionId() + ". Try again shortly; the session holds what it held before this request.");
    dialect.fail(reply, e);
  }

  Owner owner() {
    return owner;
  }

  Dialect dialect() {
    return dialect;
  }

  String model() {
    return model;
  }

  JsonNode system() {
    return system;
  }

  List<JsonNode> added() {
    return added;
  }
}
