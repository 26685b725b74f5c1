package io.tollgate.upstream;

import io.tollgate.config.GatewayConfig.UpstreamConfig;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one shared client for upstream providers: pooled keep-alive connections and non-blocking reads, so an open
 * stream holds no thread while it waits for the next event. Jetty's client rather than the JDK's: it costs about
 * half the CPU per exchange (BENCHMARKS.md) and lets a stream read at its own pace.
 */
public final class UpstreamClient implements AutoCloseable {
  /** The largest whole answer accepted; embeddings of big batches are the largest legitimate ones. */
  static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;

  private final HttpClient http;
  private final long readTimeoutMs;

  public UpstreamClient(UpstreamConfig config) {
    this.readTimeoutMs = config.readTimeout().toMillis();
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("tollgate-upstream");
    threads.setDaemon(true);
    // On Java 21+ callbacks run on virtual threads (they may block writing to a slow client); selectors stay on
    // platform threads.
    Executor virtual = VirtualThreads.getNamedVirtualThreadsExecutor("tollgate-upstream-v");
    if (virtual != null) {
      threads.setVirtualThreadsExecutor(virtual);
    }
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setExecutor(threads);
    connector.setConnectTimeout(config.connectTimeout());
    http = new HttpClient(new HttpClientTransportOverHTTP(connector));
    http.setExecutor(threads);
    http.setConnectTimeout(config.connectTimeout().toMillis());
    http.setMaxConnectionsPerDestination(config.maxConnections());
    http.setMaxRequestsQueuedPerDestination(config.maxConnections());
    http.setFollowRedirects(false);
    // Upstream cookies would be shared by every client of the gateway; compressed answers would cost a decode.
    http.setHttpCookieStore(new HttpCookieStore.Empty());
    http.getContentDecoderFactories().clear();
    http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "tollgate"));
    // Heap buffers let the SSE reader scan the bytes where they landed instead of copying them first.
    http.setUseInputDirectByteBuffers(false);
    http.setUseOutputDirectByteBuffers(false);
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("the upstream HTTP client did not start", e);
    }
    // Answers go to the client as the upstream gave them: no 401 challenge handling, no redirects (start() adds
    // these handlers, so they are removed after it).
    http.getProtocolHandlers().clear();
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
    CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
    Request call = prepare(request);
    HeadersDeadline deadline = HeadersDeadline.arm(call, request.link(), readTimeoutMs, http.getScheduler());
    if (request.link().deadlineNanos() != 0) {
      // A whole answer must be complete by the deadline, not only begun.
      call.timeout(Math.max(1, (request.link().deadlineNanos() - System.nanoTime()) / 1_000_000),
          TimeUnit.MILLISECONDS);
    }
    if (request.link().abort() != null) {
      request.link().abort().onFire(() -> call.abort(new CancellationException("the request no longer needs it")));
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

  /** Streams the answer as server-sent events, delivered to the listener as they arrive. */
  public UpstreamCall stream(UpstreamRequest request, SseListener listener) {
    Request call = prepare(request);
    StreamExchange exchange = new StreamExchange(call, listener,
        HeadersDeadline.arm(call, request.link(), readTimeoutMs, http.getScheduler()));
    if (request.link().abort() != null) {
      request.link().abort().onFire(exchange::cancel);
    }
    call.send(exchange);
    return exchange;
  }

  private Request prepare(UpstreamRequest r) {
    // The idle timeout bounds every wait: for the answer's headers, and between two reads of a stream.
    UpstreamLink link = r.link();
    long idle = link.idleTimeout() == null ? readTimeoutMs : link.idleTimeout().toMillis();
    Request call = http.newRequest(r.uri()).idleTimeout(idle, TimeUnit.MILLISECONDS);
    if (r.body() == null) {
      call.method(HttpMethod.GET).headers(h -> h.put(HttpHeader.ACCEPT, "application/json"));
    } else {
      call.method(HttpMethod.POST)
          .headers(h -> h.put(HttpHeader.ACCEPT, r.stream() ? "text/event-stream" : "application/json"))
          .body(new BytesRequestContent("application/json", r.body()));
    }
    // The provider's fixed headers first, so the call's own (its credential, above all) win over them.
    if (!link.headers().isEmpty()) {
      call.headers(h -> link.headers().forEach(h::put));
    }
    call.headers(h -> r.headers().forEach(h::put));
    return call;
  }

  @Override
  public void close() {
    try {
      http.stop();
    } catch (Exception e) {
      // stopping on undeploy: nothing more to do with a client that failed to stop
    }
  }
}
