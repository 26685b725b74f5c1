package io.tollgate.upstream;

import io.tollgate.config.GatewayConfig.UpstreamConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The client for upstream providers: pooled keep-alive connections and non-blocking reads, so an open stream holds
 * no thread while it waits for the next event. Jetty's client rather than the JDK's: it costs about half the CPU
 * per exchange (BENCHMARKS.md) and lets a stream read at its own pace. Providers with connection settings of their
 * own get a client of their own ({@link HttpClients}).
 */
public final class UpstreamClient implements AutoCloseable {
  /** The largest whole answer accepted; embeddings of big batches are the largest legitimate ones. */
  static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private final HttpClients clients;
  private final long readTimeoutMs;
  private final long firstByteMs;
  private final boolean maskByDefault;

  public UpstreamClient(UpstreamConfig config) {
    this(config, config.readTimeout());
  }

  /** {@code firstByteTimeout}: how long an answer may take to begin, for providers that set no limit of their own. */
  public UpstreamClient(UpstreamConfig config, Duration firstByteTimeout) {
    this.firstByteMs = firstByteTimeout.toMillis();
    this.readTimeoutMs = config.readTimeout().toMillis();
    this.maskByDefault = config.maskAsBrowser();
    this.clients = new HttpClients(config);
  }

  /** A POST of a body of any type (a multipart form, say) whose answer may be of any type. */
  public UpstreamRequest post(UpstreamLink link, URI uri, Map<String, String> headers, TypedBody body) {
    return new UpstreamRequest(link, uri, headers, null, false, body);
  }

  /** A POST of a JSON body with the given headers. */
  public UpstreamRequest jsonPost(UpstreamLink link, URI uri, Map<String, String> headers, byte[] body,
      boolean stream) {
    return new UpstreamRequest(link, uri, headers, body, stream);
  }

  public UpstreamRequest get(UpstreamLink link, URI uri, Map<String, String> headers) {
    return new UpstreamRequest(link, uri, headers, null, false);
  }

  /** The whole answer; a non-2xx completes exceptionally with {@link UpstreamException}. */
  public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
    ConversationPrelude prelude = request.link().prelude();
    if (prelude == null || request.body() == null) {
      return send(request, null, null);
    }
    // Completed by hand rather than with thenCompose, so a failure arrives unwrapped, as a plain call's does.
    CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
    send(prelude.opening(request), null, null).whenComplete((opened, failure) -> afterOpening(opened, failure,
        prelude, id -> send(prelude.chat(request, id), id, null).whenComplete((answer, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(answer);
          }
        }), result::completeExceptionally));
    return result;
  }

  /** Streams the answer as server-sent events, delivered to the listener as they arrive. */
  public UpstreamCall stream(UpstreamRequest request, SseListener listener) {
    ConversationPrelude prelude = request.link().prelude();
    if (prelude == null) {
      return stream(request, null, listener);
    }
    PreludedCall call = new PreludedCall();
    send(prelude.opening(request), null, call).whenComplete((opened, failure) -> {
      if (!call.cancelled()) {
        afterOpening(opened, failure, prelude, id -> call.running(stream(prelude.chat(request, id), id, listener)),
            listener::onError);
      }
    });
    return call;
  }

  /**
   * An answer of any type (audio, text, JSON), its bytes handed to the listener as they arrive. A {@code whole}
   * answer (one the caller takes in full, not a stream) must also be complete by the attempt's deadline, as
   * {@link #send} requires of a plain answer.
   */
  public UpstreamCall relay(UpstreamRequest request, ByteListener listener, boolean whole) {
    Prepared prepared;
    try {
      prepared = prepared(request, null);
    } catch (RuntimeException e) {
      listener.onError(TransportErrors.map(e, false));
      return UpstreamCall.NONE;
    }
    if (whole) {
      completeBy(prepared.call(), request.link());
    }
    ByteExchange exchange = new ByteExchange(prepared.call(), listener, prepared.deadline());
    if (request.link().abort() != null) {
      request.link().abort().onFire(exchange::cancel);
    }
    prepared.call().send(exchange);
    return exchange;
  }

  /** The conversation's id once the prelude answered, or its failure in the form a failed call of its own takes. */
  private static void afterOpening(UpstreamResponse opened, Throwable failure, ConversationPrelude prelude,
      Consumer<String> next, Consumer<RuntimeException> fail) {
    String id;
    try {
      if (failure != null) {
        throw TransportErrors.map(failure, false);
      }
      id = prelude.id(opened.body());
    } catch (RuntimeException e) {
      fail.accept(e);
      return;
    }
    next.accept(id);
  }

  private UpstreamCall stream(UpstreamRequest request, String conversationId, SseListener listener) {
    Prepared prepared;
    try {
      prepared = prepared(request, conversationId);
    } catch (RuntimeException e) {
      listener.onError(TransportErrors.map(e, false));
      return UpstreamCall.NONE;
    }
    Request call = prepared.call();
    StreamExchange exchange = new StreamExchange(call, listener, prepared.deadline());
    if (request.link().abort() != null) {
      request.link().abort().onFire(exchange::cancel);
    }
    call.send(exchange);
    return exchange;
  }

  /** {@code phase}, when given, is told how to cancel this exchange. */
  private CompletableFuture<UpstreamResponse> send(UpstreamRequest request, String conversationId,
      PreludedCall phase) {
    CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
    Prepared prepared;
    try {
      prepared = prepared(request, conversationId);
    } catch (RuntimeException e) {
      result.completeExceptionally(TransportErrors.map(e, false));
      return result;
    }
    Request call = prepared.call();
    HeadersDeadline deadline = prepared.deadline();
    completeBy(call, request.link());
    Runnable stop = () -> call.abort(new CancellationException("the request no longer needs it"));
    if (phase != null) {
      phase.running(stop::run);
    }
    if (request.link().abort() != null) {
      request.link().abort().onFire(stop);
    }
    call.send(new BufferingResponseListener(MAX_ANSWER_BYTES) {
      @Override
      public void onHeaders(Response response) {
        deadline.met();
        super.onHeaders(response);
      }

      @Override
      public void onComplete(Result outcome) {
        deadline.met();
        if (outcome.isFailed()) {
          boolean answering = outcome.getResponse() != null && outcome.getResponse().getStatus() > 0;
          result.completeExceptionally(TransportErrors.map(outcome.getFailure(), answering));
          return;
        }
        int status = outcome.getResponse().getStatus();
        byte[] body = getContent();
        if (status / 100 != 2) {
          result.completeExceptionally(UpstreamException.of(status, outcome.getResponse().getHeaders(), body));
        } else {
          result.complete(new UpstreamResponse(status, body));
        }
      }
    });
    return result;
  }

  /** A whole answer must be complete by the attempt's deadline, not only begun. */
  private static void completeBy(Request call, UpstreamLink link) {
    if (link.deadlineNanos() != 0) {
      call.timeout(Math.max(1, (link.deadlineNanos() - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    }
  }

  /** A call ready to send on its provider's client, with the limit on its answer's beginning armed. */
  private record Prepared(Request call, HeadersDeadline deadline) {
  }

  private Prepared prepared(UpstreamRequest r, String conversationId) {
    HttpClient http = clients.of(r.link());
    Request call = prepare(http, r, conversationId);
    return new Prepared(call, HeadersDeadline.arm(call, r.link(), readTimeoutMs, firstByteMs, http.getScheduler()));
  }

  private Request prepare(HttpClient http, UpstreamRequest r, String conversationId) {
    // The idle timeout bounds every wait: for the answer's headers, and between two reads of a stream.
    UpstreamLink link = r.link();
    long idle = link.idleTimeout() == null ? readTimeoutMs : link.idleTimeout().toMillis();
    Request call = http.newRequest(r.uri()).idleTimeout(idle, TimeUnit.MILLISECONDS);
    if (r.upload() != null) {
      call.method(HttpMethod.POST).body(r.upload().content().get());
    } else if (r.body() == null) {
      call.method(HttpMethod.GET).headers(h -> h.put(HttpHeader.ACCEPT, "application/json"));
    } else {
      call.method(HttpMethod.POST)
          .headers(h -> h.put(HttpHeader.ACCEPT, r.stream() ? "text/event-stream" : "application/json"))
          .body(new BytesRequestContent("application/json", r.body()));
    }
    boolean masked = link.browser().active(maskByDefault);
    if (masked || link.browser().sendsAny()) {
      call.headers(h -> link.browser().apply(h, r.uri(), masked, conversationId));
    }
    // The provider's fixed headers next, so the call's own (its credential, above all) win over them.
    if (!link.headers().isEmpty()) {
      call.headers(h -> link.headers().forEach((name, value) ->
          h.put(name, ConversationPrelude.fill(value, conversationId))));
    }
    call.headers(h -> {
      r.headers().forEach(h::put);
      trace(h, link);
    });
    if (link.connection().noKeepAlive()) {
      call.headers(h -> h.put(HttpHeader.CONNECTION, "close"));
    }
    return call;
  }

  /**
   * The request's trace, last: the gateway's traceparent replaces any a provider's fixed headers set, and a
   * tracestate that is not the caller's goes. A client's own trace headers are never copied (no client header is).
   */
  private static void trace(HttpFields.Mutable h, UpstreamLink link) {
    if (link.traceparent() == null) {
      return;
    }
    h.put(TRACEPARENT, link.traceparent());
    if (link.tracestate() != null) {
      h.put(TRACESTATE, link.tracestate());
    } else {
      h.remove(TRACESTATE);
    }
  }

  /** After a routing change: the connections of settings no provider uses any more are let go (see HttpClients). */
  public void retain(Collection<UpstreamLink> inUse) {
    clients.retain(inUse.stream().map(UpstreamLink::connection).collect(Collectors.toSet()));
  }

  /** The connections to upstreams now, over every client (for /metrics). */
  public UpstreamConnections connections() {
    return clients.connections();
  }

  /** How many providers' own clients (not the shared one) are open, for tests. */
  int ownClients() {
    return clients.ownClients();
  }

  @Override
  public void close() {
    clients.close();
  }
}
