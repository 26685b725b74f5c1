package io.tollgate.inbound.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.housekeeping.Housekeeping;
import io.tollgate.openai.Json;
import io.tollgate.persistence.StoredResponseRecord;
import io.tollgate.persistence.StoredResponseRepository;
import io.tollgate.session.BoundedCalls;
import jakarta.servlet.ServletContext;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.LoggerFactory;

/**
 * Responses kept for {@code RESPONSES_TTL} ({@code store} not false): read, deleted and continued by the key that
 * made them, absent to any other. Every call to the database runs on a worker and is waited for at most
 * {@link BoundedCalls#WAIT}, as the sessions' are: while the database fails, a request that needs a stored response
 * (or would store one) gets a 503 in OpenAI's shape.
 */
public final class StoredResponses {
  public static final String ATTRIBUTE = "io.tollgate.storedResponses";
  private final StoredResponseRepository repository;
  private final Duration ttl;
  private final BoundedCalls calls;
  private final Clock clock;

  public StoredResponses(StoredResponseRepository repository, Duration ttl, Executor workers, Clock clock) {
    this.repository = repository;
    this.ttl = ttl;
    this.calls = new BoundedCalls(LoggerFactory.getLogger(StoredResponses.class), "stored response", workers,
        BoundedCalls.WAIT, "nothing was stored or deleted by this request.");
    this.clock = clock;
  }

  public static StoredResponses from(ServletContext context) {
    return (StoredResponses) context.getAttribute(ATTRIBUTE);
  }

  /** The owner's live response by this id; a 404 naming {@code param} (null for the path's id) otherwise. */
  StoredResponseRecord find(ResponseOwner owner, String id, String param) {
    Instant now = clock.instant();
    return calls.await("Response " + id + " cannot be read", () -> repository.find(id, owner.keyId(),
        owner.keyHash(), now)).orElseThrow(() -> notFound(id, param));
  }

  void delete(ResponseOwner owner, String id) {
    Instant now = clock.instant();
    if (!calls.await("Response " + id + " cannot be deleted", () -> repository.delete(id, owner.keyId(),
        owner.keyHash(), now))) {
      throw notFound(id, null);
    }
  }

  /**
   * Stores a response on a worker; the stage fails with a 503 when it is not stored within the wait. A cached
   * answer replayed ({@code replay}) may be kept already.
   */
  CompletionStage<Void> keep(ResponseOwner owner, ArrayNode inputItems, JsonNode response, boolean replay) {
    Instant now = clock.instant();
    String id = response.path("id").asText();
    StoredResponseRecord row = new StoredResponseRecord(id, owner.keyId(), owner.keyHash(),
        response.path("model").asText(""), Json.string(response), Json.string(inputItems), now, now.plus(ttl));
    return calls.start("Response " + id + " could not be stored", () -> {
      repository.save(row, replay);
      return null;
    });
  }

  /** Deletes expired responses, {@code batch} rows a statement, at most {@code batches} statements; the count. */
  public int prune(int batch, int batches) {
    return Housekeeping.inBatches(batch, batches, n -> repository.deleteExpired(clock.instant(), n));
  }

  /** OpenAI's words for an id it does not know; another key's response and an expired one answer the same. */
  private static GatewayException notFound(String id, String param) {
    return GatewayException.param(ErrorType.NOT_FOUND, "Response with id '" + id + "' not found.", param);
  }

  static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
