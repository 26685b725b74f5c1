package io.tollgate.upstream;

import io.tollgate.config.GatewayConfig.UpstreamConfig;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.ssl.ALPNProcessor;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jetty client per distinct set of connection settings, made when a provider first needs it; providers without
 * settings of their own share the default one. All share one thread pool; each has one selector.
 */
final class HttpClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpClients.class);

  private final UpstreamConfig config;
  private final QueuedThreadPool threads;
  private final boolean alpn;
  private final HttpClient shared;
  private final ConcurrentMap<ConnectionSettings, HttpClient> own = new ConcurrentHashMap<>();
  /** How often a retired client is looked at again while it still has exchanges in flight. */
  static final Duration RETIRE_CHECK = Duration.ofSeconds(5);

  HttpClients(UpstreamConfig config) {
    this.config = config;
    threads = new QueuedThreadPool();
    threads.setName("tollgate-upstream");
    threads.setDaemon(true);
    // On Java 21+ callbacks run on virtual threads (they may block writing to a slow client); selectors stay on
    // platform threads.
    Executor virtual = VirtualThreads.getNamedVirtualThreadsExecutor("tollgate-upstream-v");
    if (virtual != null) {
      threads.setVirtualThreadsExecutor(virtual);
    }
    start(threads);
    alpn = ServiceLoader.load(ALPNProcessor.Client.class, HttpClients.class.getClassLoader()).findFirst()
        .isPresent();
    if (!alpn) {
      LOG.info("no ALPN support found: HTTPS upstreams are called over HTTP/1.1");
    }
    shared = build(ConnectionSettings.DEFAULT);
  }

  HttpClient of(UpstreamLink link) {
    ConnectionSettings settings = link.connection();
    return settings == ConnectionSettings.DEFAULT ? shared : own.computeIfAbsent(settings, this::build);
  }

  private HttpClient build(ConnectionSettings s) {
    if (s.isDefault() && shared != null) {
      return shared;
    }
    Duration connect = s.connectTimeout() != null ? s.connectTimeout() : config.connectTimeout();
    int max = s.maxConnections() != null ? s.maxConnections() : config.maxConnections();
    Integer keepIdle = s.maxKeepAlive() != null ? s.maxKeepAlive() : config.maxKeepAlive();
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setExecutor(threads);
    connector.setConnectTimeout(connect);
    if (s.tls() != null) {
      connector.setSslContextFactory(s.tls().sslContextFactory());
    }
    boolean http2 = alpn && !Boolean.FALSE.equals(s.http2()) && !s.noKeepAlive();
    HttpClient http = new UpstreamHttpClient(UpstreamTransport.create(connector, http2,
        s.h2c() && !s.noKeepAlive(), max, keepIdle == null ? Integer.MAX_VALUE : keepIdle));
    http.setExecutor(threads);
    http.setConnectTimeout(connect.toMillis());
    http.setMaxConnectionsPerDestination(max);
    http.setMaxRequestsQueuedPerDestination(max);
    if (s.keepAlive() != null && !s.keepAlive().isZero()) {
      // How long a pooled connection may sit idle; an exchange sets its own (read) timeout while it runs.
      http.setIdleTimeout(s.keepAlive().toMillis());
      connector.setIdleTimeout(s.keepAlive());
    }
    http.setFollowRedirects(false);
    // Upstream cookies would be shared by every client of the gateway; compressed answers would cost a decode.
    http.setHttpCookieStore(new HttpCookieStore.Empty());
    http.getContentDecoderFactories().clear();
    http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "tollgate"));
    // Heap buffers let the SSE reader scan the bytes where they landed instead of copying them first.
    http.setUseInputDirectByteBuffers(false);
    http.setUseOutputDirectByteBuffers(false);
    ProxyRoutes.apply(http, s.proxy(), config.httpsProxy(), config.httpProxy(), config.noProxy());
    start(http);
    // Answers go to the client as the upstream gave them: no 401 challenge handling, no redirects (start() adds
    // these handlers, so they are removed after it).
    http.getProtocolHandlers().clear();
    return http;
  }

  private static void start(org.eclipse.jetty.util.component.LifeCycle component) {
    try {
      component.start();
    } catch (Exception e) {
      throw new IllegalStateException("the upstream HTTP client did not start", e);
    }
  }

  /**
   * Retires the clients of settings no provider uses any more (a provider's connection options were edited, or it
   * was deleted), each stopped, with its selector thread, once it has no exchange left in flight.
   */
  void retain(Set<ConnectionSettings> inUse) {
    for (Map.Entry<ConnectionSettings, HttpClient> e : own.entrySet()) {
      if (!inUse.contains(e.getKey()) && own.remove(e.getKey(), e.getValue())) {
        retire(e.getValue());
      }
    }
  }

  /** How many clients of their own providers have now, for tests. */
  int ownClients() {
    return own.size();
  }

  /** What every client's destinations hold now; walks them, so for /metrics and tests, never a request. */
  UpstreamConnections connections() {
    int[] counts = new int[3];
    count(shared, counts);
    own.values().forEach(http -> count(http, counts));
    return new UpstreamConnections(counts[0], counts[1], counts[2]);
  }

  private static void count(HttpClient http, int[] counts) {
    for (Destination d : http.getDestinations()) {
      if (d.getConnectionPool() instanceof AbstractConnectionPool pool) {
        counts[0] += pool.getActiveConnectionCount();
        counts[1] += pool.getIdleConnectionCount();
      }
      if (d instanceof HttpDestination queueing) {
        counts[2] += queueing.getQueuedRequestCount();
      }
    }
  }

  private void retire(HttpClient http) {
    shared.getScheduler().schedule(() -> {
      if (busy(http)) {
        retire(http);
      } else {
        stop(http);
      }
    }, RETIRE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean busy(HttpClient http) {
    for (Destination d : http.getDestinations()) {
      if (d.getConnectionPool() instanceof AbstractConnectionPool pool && pool.getActiveConnectionCount() > 0
          || d instanceof HttpDestination queueing && queueing.getQueuedRequestCount() > 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    own.values().forEach(HttpClients::stop);
    stop(shared);
    stop(threads);
  }

  private static void stop(org.eclipse.jetty.util.component.LifeCycle component) {
    try {
      component.stop();
    } catch (Exception e) {
      // stopping on undeploy: nothing more to do with a client that failed to stop
    }
  }
}
