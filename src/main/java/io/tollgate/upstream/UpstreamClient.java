package io.tollgate.upstream;

import io.tollgate.config.GatewayConfig.UpstreamConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one shared client for upstream providers: pooled keep-alive connections, HTTP/2 where the upstream offers
 * it, and non-blocking reads, so an open stream holds no thread while it waits for the next event.
 */
public final class UpstreamClient implements AutoCloseable {
  private final HttpClient http;
  private final UpstreamConfig config;
  private final IdleWatchdog watchdog;

  public UpstreamClient(UpstreamConfig config, Executor executor) {
    this.config = config;
    // The idle pool is process-wide in the JDK client; MAX_CONNECTIONS sizes it unless the operator already did.
    if (System.getProperty("jdk.httpclient.connectionPoolSize") == null) {
      System.setProperty("jdk.httpclient.connectionPoolSize", Integer.toString(config.maxConnections()));
    }
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
    this.watchdog = new IdleWatchdog(config.readTimeout());
  }

  /** A POST of a JSON body with the given headers; the read timeout bounds the wait for the answer's headers. */
  public HttpRequest jsonPost(URI uri, Map<String, String> headers, byte[] body, boolean stream) {
    HttpRequest.Builder b = builder(uri)
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return b.build();
  }

  public HttpRequest get(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = builder(uri).header("Accept", "application/json").GET();
    headers.forEach(b::header);
    return b.build();
  }

  private HttpRequest.Builder builder(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(config.readTimeout());
    // HTTP/2 is negotiated over TLS; on plain http a first request would carry an h2c upgrade few servers want.
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    return b;
  }

  /** The whole answer; a non-2xx completes exceptionally with {@link UpstreamException}. */
  public CompletableFuture<UpstreamResponse> send(HttpRequest request) {
    String target = target(request);
    CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    IdleWatchdog.Watch watch = watchdog.watch(() -> {
      result.completeExceptionally(TransportErrors.timeout(target));
      call.cancel(true);
    });
    call.whenComplete((response, error) -> {
      watchdog.release(watch);
      if (error != null) {
        result.completeExceptionally(TransportErrors.map(error, target));
      } else if (response.statusCode() / 100 != 2) {
        result.completeExceptionally(new UpstreamException(response.statusCode(), response.headers(), response.body()));
      } else {
        result.complete(new UpstreamResponse(response.statusCode(), response.headers(), response.body()));
      }
    });
    return result;
  }

  /** Streams the answer as server-sent events, delivered to the listener as they arrive. */
  public UpstreamCall stream(HttpRequest request, SseListener listener) {
    StreamExchange exchange = new StreamExchange(target(request), listener);
    exchange.watch = watchdog.watch(exchange::idle);
    exchange.call = http.sendAsync(request, info -> {
      if (info.statusCode() / 100 != 2) {
        return BodySubscribers.ofByteArray();
      }
      listener.onOpen(info.statusCode(), info.headers());
      return castBytes(BodySubscribers.fromSubscriber(exchange));
    });
    exchange.call.whenComplete(exchange::finished);
    return exchange;
  }

  @SuppressWarnings("unchecked")
  private static HttpResponse.BodySubscriber<byte[]> castBytes(HttpResponse.BodySubscriber<Void> s) {
    // Both branches of the handler must share one body type; the streaming branch's body is never read.
    return (HttpResponse.BodySubscriber<byte[]>) (HttpResponse.BodySubscriber<?>) s;
  }

  private static String target(HttpRequest request) {
    URI u = request.uri();
    return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
  }

  @Override
  public void close() {
    watchdog.close();
  }

  /** One streamed exchange: the body subscriber, the cancel handle and the single end signal. */
  private final class StreamExchange implements Flow.Subscriber<List<ByteBuffer>>, UpstreamCall {
    private final String target;
    private final SseListener listener;
    private final SseReader reader;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private volatile CompletableFuture<HttpResponse<byte[]>> call;
    private volatile IdleWatchdog.Watch watch;

    StreamExchange(String target, SseListener listener) {
      this.target = target;
      this.listener = listener;
      this.reader = new SseReader(listener::onEvent);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (ended.get()) {
        s.cancel();
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      watch.touch();
      if (ended.get()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        reader.feed(b);
      }
      if (!ended.get()) {
        listener.onPause();
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      end(TransportErrors.map(t, target));
    }

    @Override
    public void onComplete() {
      reader.finish();
      end(null);
    }

    void finished(HttpResponse<byte[]> response, Throwable error) {
      if (error != null) {
        end(TransportErrors.map(error, target));
      } else if (response.statusCode() / 100 != 2) {
        end(new UpstreamException(response.statusCode(), response.headers(), response.body()));
      }
    }

    void idle() {
      end(TransportErrors.timeout(target));
      abort();
    }

    @Override
    public void cancel() {
      if (ended.compareAndSet(false, true)) {
        watchdog.release(watch);
        abort();
      }
    }

    private void abort() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      CompletableFuture<?> c = call;
      if (c != null) {
        c.cancel(true);
      }
    }

    private void end(RuntimeException error) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      watchdog.release(watch);
      if (error == null) {
        listener.onClose();
      } else {
        listener.onError(error);
      }
    }
  }
}
