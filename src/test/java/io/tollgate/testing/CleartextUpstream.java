package io.tollgate.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An OpenAI-compatible upstream over plain http:// on Jetty, with HTTP/1.1 and h2c (prior knowledge) on one port:
 * it answers as {@link TlsUpstream} does, records the protocol of each request, and counts the TCP connections it
 * accepted and those still open. {@link #hold()} keeps requests waiting until {@link #letGo()}, so that several are
 * in flight at once.
 */
public final class CleartextUpstream implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final Queue<String> protocols = new ConcurrentLinkedQueue<>();
  // h2c by prior knowledge swaps the HTTP/1.1 connection for an HTTP/2 one on the same socket: count sockets.
  private final Set<EndPoint> accepted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private CleartextUpstream() {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    connector = new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.addEventListener(new Connection.Listener() {
      @Override
      public void onOpened(Connection connection) {
        accepted.add(connection.getEndPoint());
      }
    });
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        protocols.add(request.getConnectionMetaData().getProtocol());
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        waiting.incrementAndGet();
        gate.await(10, TimeUnit.SECONDS);
        waiting.decrementAndGet();
        boolean stream = body.replace(" ", "").contains("\"stream\":true");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, stream ? "text/event-stream" : "application/json");
        Content.Sink.write(response, true, stream ? TlsUpstream.events() : TlsUpstream.answer(), callback);
        return true;
      }
    });
  }

  public static CleartextUpstream start() {
    CleartextUpstream upstream = new CleartextUpstream();
    try {
      upstream.server.start();
    } catch (Exception e) {
      throw new IllegalStateException("the cleartext upstream did not start", e);
    }
    return upstream;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/v1";
  }

  /** The protocols of the requests so far ("HTTP/2.0", "HTTP/1.1"), oldest first, and forgets them. */
  public List<String> takeProtocols() {
    List<String> out = new ArrayList<>();
    for (String p; (p = protocols.poll()) != null; ) {
      out.add(p);
    }
    return out;
  }

  /** TCP connections accepted since start. */
  public int acceptedConnections() {
    return accepted.size();
  }

  /** TCP connections open now. */
  public int openConnections() {
    return (int) accepted.stream().filter(EndPoint::isOpen).count();
  }

  /** Requests from now on wait (at most 10 s each) until {@link #letGo()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  public void letGo() {
    gate.countDown();
  }

  /** Whether {@code n} requests are waiting at the gate within {@code limit}. */
  public boolean awaitWaiting(int n, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (waiting.get() < n) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // the test is over
    }
  }
}
