package io.tollgate.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.KeyPools;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.provider.AdapterRegistry;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.routing.ModelDefinition;
import io.tollgate.routing.ModelTable;
import io.tollgate.routing.Provider;
import io.tollgate.upstream.Abort;
import io.tollgate.upstream.UpstreamException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One tiny chat call ("ping", max_tokens 1, not streamed) to a provider through its own adapter and the shared
 * upstream client, with the key a request would be given now, answered as a {@code provider.test} object. The
 * key pools and circuit breakers are left as they are: a test is an admin's question, not traffic to learn from.
 */
final class ProviderProbe {
  static final Duration LIMIT = Duration.ofSeconds(15);
  private static final int MAX_MESSAGE = 300;

  private final AdapterRegistry adapters;
  private final KeyPools pools;

  ProviderProbe(AdapterRegistry adapters, KeyPools pools) {
    this.adapters = adapters;
    this.pools = pools;
  }

  /** Completes (never exceptionally) within {@link #LIMIT}, whatever the upstream does. */
  CompletableFuture<ObjectNode> run(Provider p, String model) {
    // Pass-through providers send the caller's own key; the admin's is never forwarded, so they are tried without.
    KeyPools.PickedKey key = p.passthrough() ? null : pools.peek(p).orElse(null);
    Secret credential = key == null ? null : key.secret();
    Integer index = key == null ? null : key.index();
    Abort abort = new Abort();
    long started = System.nanoTime();
    Duration own = p.link().totalTimeout();
    long deadline = started + (own != null && own.compareTo(LIMIT) < 0 ? own : LIMIT).toNanos();
    Route route = new Route(model, p.name(), p.type(), p.baseUrl(), model, credential, p.passthrough(), p.options(),
        null, p.link().forAttempt(deadline, abort));
    CompletableFuture<byte[]> call;
    try {
      call = adapters.forType(p.type()).call(route, ping(model));
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.orTimeout(LIMIT.toMillis(), TimeUnit.MILLISECONDS).handle((body, error) -> {
      long ms = (System.nanoTime() - started) / 1_000_000;
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("object", "provider.test");
      o.put("provider", p.name());
      o.put("model", model);
      o.put("ok", error == null);
      Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (t instanceof TimeoutException) {
        abort.fire();
      }
      // An echo provider makes no HTTP call, so it has no status to show.
      o.put("status", error == null ? ("echo".equals(p.type()) ? null : 200) : upstreamStatus(t));
      o.put("latency_ms", ms);
      o.put("key_index", index);
      o.put("error", error == null ? null : message(t, route, p));
      return o;
    });
  }

  /**
   * The body's {@code model}, else the upstream model of the first model entry (by name) that sends a concrete
   * name to this provider; a 400 naming {@code model} when there is neither.
   */
  static String model(ObjectNode body, String provider, ModelTable table) {
    JsonNode given = body == null ? null : body.get("model");
    if (given != null && !given.isNull()) {
      if (!given.isTextual() || given.asText().isBlank()) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST, "model must be a non-empty string", "model");
      }
      return given.asText().strip();
    }
    for (ModelDefinition m : table.models().values()) {
      for (ModelDefinition.Target t : m.targets()) {
        if (t.provider().equals(provider) && !t.passesThrough()) {
          return t.model();
        }
      }
    }
    throw GatewayException.param(ErrorType.INVALID_REQUEST, "No model entry sends a model name to the provider '"
        + provider + "'; name the upstream model to test with: {\"model\": \"...\"}.", "model");
  }

  /** What the request path would send for a one-token chat, checked by the same rules. */
  private static OpenAiRequest ping(String model) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", "ping");
    body.put("max_tokens", 1);
    return RequestValidator.parse(Endpoint.CHAT, body);
  }

  private static Integer upstreamStatus(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UpstreamException e) {
        return e.status();
      }
    }
    return null;
  }

  /** The client's message for this failure, short, with every credential of the provider masked out. */
  private static String message(Throwable t, Route route, Provider p) {
    String text = t instanceof TimeoutException
        ? "The upstream provider '" + p.name() + "' did not answer within " + LIMIT.toSeconds() + " s."
        : UpstreamErrors.map(t, route).getMessage();
    for (Secret s : p.apiKeys()) {
      text = masked(text, s.reveal());
    }
    for (var option : p.options().entrySet()) {
      if (MaskedOptions.secret(option.getKey(), option.getValue())) {
        text = masked(text, option.getValue());
      }
    }
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
  }

  private static String masked(String text, String secret) {
    return secret == null || secret.length() < 4 ? text : text.replace(secret, MaskedKeys.mask(secret));
  }
}
