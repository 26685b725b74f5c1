package io.tollgate.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.Caller;
import io.tollgate.config.SessionConfig;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.housekeeping.Housekeeping;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.persistence.SessionRecord;
import io.tollgate.persistence.SessionRepository;
import io.tollgate.usage.TokenCounter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Conversation sessions ({@code X-Session-Id}): a request's stored history is put before its messages (one indexed
 * read, on a worker, waited for at most {@link BoundedCalls#WAIT}), and its turn is stored on a worker thread before
 * the reply ends. A session belongs to the client key that made it; under another key the same id is another,
 * absent, session.
 *
 * <p>While the database fails, a session request gets a 503 in its dialect rather than an answer whose turn the
 * session would not keep: the client's conversation stays where it was, and the client knows to send the turn
 * again (RELIABILITY.md, "Database outages").
 */
public final class Sessions {
  public static final String ATTRIBUTE = "io.tollgate.sessions";
  public static final String HEADER = "X-Session-Id";
  private final SessionRepository repository;
  private final SessionConfig config;
  private final Executor workers;
  private final BoundedCalls calls;
  private final Clock clock;

  public Sessions(SessionRepository repository, SessionConfig config, Executor workers, Clock clock) {
    this.repository = repository;
    this.config = config;
    this.workers = workers;
    this.calls = new BoundedCalls(workers, BoundedCalls.WAIT);
    this.clock = clock;
  }

  public static Sessions from(ServletContext context) {
    return (Sessions) context.getAttribute(ATTRIBUTE);
  }

  /** A chat request's turn, its body now holding the session's history; null without the header (or off). */
  public SessionTurn openAi(HttpServletRequest request, OpenAiRequest call) {
    return call.endpoint() != Endpoint.CHAT ? null : begin(request, Dialect.OPENAI, call.body(), call.model());
  }

  /** A Messages request's turn, its body now holding the session's history; null without the header (or off). */
  public SessionTurn anthropic(HttpServletRequest request, ObjectNode body, String model) {
    return begin(request, Dialect.ANTHROPIC, body, model);
  }

  private SessionTurn begin(HttpServletRequest request, Dialect dialect, ObjectNode body, String model) {
    String header = request.getHeader(HEADER);
    if (header == null || !config.enabled()) {
      return null;
    }
    SessionTurn.Owner owner = new SessionTurn.Owner(keyId((Caller) request.getAttribute(Caller.ATTRIBUTE)),
        SessionId.checked(header));
    Optional<SessionRecord> stored = calls.await("The conversation of session " + owner.sessionId()
        + " cannot be read", () -> repository.find(owner.keyId(), owner.sessionId(), clock.instant()));
    if (stored.isPresent() && !stored.get().dialect().equals(dialect.wire)) {
      throw GatewayException.of(ErrorType.CONFLICT, "Session " + owner.sessionId() + " holds a conversation in the "
          + stored.get().dialect() + " dialect; use it through that API, or another session id.");
    }
    JsonNode clientSystem = dialect.takeSystem(body);
    JsonNode system = clientSystem != null ? clientSystem
        : stored.map(SessionRecord::systemPrompt).map(Sessions::tree).orElse(null);
    ArrayNode history = stored.map(s -> (ArrayNode) tree(s.messages())).orElseGet(Json.MAPPER::createArrayNode);
    Conversation.Merged merged = Conversation.merge(history, (ArrayNode) body.get("messages"));
    body.set("messages", merged.sent());
    if (system != null) {
      dialect.putSystem(body, system);
    }
    return new SessionTurn(this, owner, dialect, model, system, merged.added());
  }

  /**
   * Stores a turn on a worker thread. The stage completes when it is stored, or fails (with a 503) when it could not
   * be stored within the wait; it completes on a worker either way, never on a timer's thread.
   */
  CompletionStage<Void> store(SessionTurn turn, ObjectNode answer) {
    // Once the client has been told the turn is not kept, a store still waiting on the database must not keep it.
    AtomicBoolean givenUp = new AtomicBoolean();
    return calls.start("The answer could not be kept in session " + turn.owner().sessionId(),
            () -> repository.change(turn.owner().keyId(), turn.owner().sessionId(), clock.instant(), live -> {
              if (givenUp.get()) {
                throw new IllegalStateException("given up: the client was told the turn is not stored");
              }
              return next(turn, answer, live);
            }))
        .whenCompleteAsync((stored, failed) -> givenUp.set(failed != null), workers) // off the timer's thread
        .thenApply(stored -> null);
  }

  private SessionRecord next(SessionTurn turn, ObjectNode answer, SessionRecord live) {
    Instant now = clock.instant();
    boolean same = live != null && live.dialect().equals(turn.dialect().wire);
    ArrayNode history = same ? (ArrayNode) tree(live.messages()) : Json.MAPPER.createArrayNode();
    history.addAll(turn.added());
    if (answer != null) {
      history.add(answer);
    }
    Conversation.Kept kept = Conversation.trim(history, turn.dialect(), config.maxTurns(), config.maxTokens(),
        TokenCounter.encodingFor(turn.model()));
    return new SessionRecord(turn.owner().keyId(), turn.owner().sessionId(), turn.dialect().wire,
        turn.system() == null ? null : Json.string(turn.system()), Json.string(kept.messages()), kept.turns(),
        kept.tokens(), same ? live.createdAt() : now, now, now.plus(config.ttl()));
  }

  /** The caller's live session, if it has one by this id. */
  public Optional<SessionRecord> find(Caller caller, String sessionId) {
    long keyId = keyId(caller);
    String id = SessionId.checked(sessionId);
    return calls.await("Session " + id + " cannot be read", () -> repository.find(keyId, id, clock.instant()));
  }

  /** Forgets the caller's session; false when it had none by this id. */
  public boolean delete(Caller caller, String sessionId) {
    long keyId = keyId(caller);
    String id = SessionId.checked(sessionId);
    return calls.await("Session " + id + " cannot be deleted", () -> repository.delete(keyId, id, clock.instant()));
  }

  /** Deletes expired sessions, {@code batch} rows a statement, at most {@code batches} statements; the count. */
  public int prune(int batch, int batches) {
    return Housekeeping.inBatches(batch, batches, n -> repository.deleteExpired(clock.instant(), n));
  }

  /** Sessions are kept per client key: a key from API_KEYS, or no key at all, has no id to keep them under. */
  private static long keyId(Caller caller) {
    if (caller == null || caller.keyId() == null) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST, "Sessions (" + HEADER + ") need a client key made with"
          + " the admin API or the TOLLGATE_CONFIG file; keys from API_KEYS, and requests without a key, cannot keep"
          + " one.");
    }
    return caller.keyId();
  }

  static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
