package io.tollgate.upstream;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.client.DuplexConnectionPool;
import org.eclipse.jetty.client.MultiplexConnectionPool;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;

/**
 * HTTP/1.1 and HTTP/2 in one transport, with the protocol fixed per scheme when the client is built: https://
 * negotiates h2 or http/1.1 with ALPN (or stays on HTTP/1.1), http:// speaks HTTP/1.1 (or h2c by prior knowledge).
 * Fixing it keeps the per-request origin lookup as cheap as the plain HTTP/1.1 transport's, which allocates no
 * protocol list per request as Jetty's dynamic lookup does.
 */
final class UpstreamTransport extends HttpClientTransportDynamic {
  private static final Origin.Protocol H2_OR_HTTP11 = new Origin.Protocol(List.of("h2", "http/1.1"), true);
  private static final Origin.Protocol H2C = new Origin.Protocol(List.of("h2c"), false);

  private final Origin.Protocol secure;
  private final Origin.Protocol plain;

  private UpstreamTransport(ClientConnector connector, Origin.Protocol secure, Origin.Protocol plain,
      int maxConnections, int maxIdle, Info... infos) {
    super(connector, infos);
    this.secure = secure;
    this.plain = plain;
    setConnectionPoolFactory(destination -> {
      Origin.Protocol protocol = destination.getOrigin().getProtocol();
      if (protocol != null && (protocol.isNegotiate() || !protocol.getProtocols().contains("http/1.1"))) {
        return new MultiplexConnectionPool(destination, maxConnections, 1);
      }
      // Counting idle connections walks the pool, so only a bounded keep-alive pays for it.
      return maxIdle == Integer.MAX_VALUE ? new DuplexConnectionPool(destination, maxConnections)
          : new KeepAlivePool(destination, maxConnections, maxIdle);
    });
  }

  static UpstreamTransport create(ClientConnector connector, boolean http2, boolean h2c, int maxConnections,
      int maxIdle) {
    if (!http2 && !h2c) {
      return new UpstreamTransport(connector, HttpClientTransportOverHTTP.HTTP11, HttpClientTransportOverHTTP.HTTP11,
          maxConnections, maxIdle, HttpClientConnectionFactory.HTTP11);
    }
    HTTP2Client client = new HTTP2Client(connector);
    return new UpstreamTransport(connector, http2 ? H2_OR_HTTP11 : HttpClientTransportOverHTTP.HTTP11,
        h2c ? H2C : HttpClientTransportOverHTTP.HTTP11, maxConnections, maxIdle,
        HttpClientConnectionFactory.HTTP11, new ClientConnectionFactoryOverHTTP2.HTTP2(client));
  }

  @Override
  public Origin newOrigin(Request request) {
    boolean https = "https".equalsIgnoreCase(request.getScheme());
    return getHttpClient().createOrigin(request, https ? secure : plain);
  }

  @Override
  public org.eclipse.jetty.io.Connection newConnection(EndPoint endPoint, Map<String, Object> context)
      throws IOException {
    HttpDestination destination = (HttpDestination) context.get(HTTP_DESTINATION_CONTEXT_KEY);
    Origin.Protocol protocol = destination.getOrigin().getProtocol();
    if (protocol == null || !protocol.isNegotiate()) {
      return super.newConnection(endPoint, context);
    }
    // Jetty finds the JDK's ALPN processor with ServiceLoader on the context class loader; on a client thread
    // inside a container that is not the webapp's, which holds the processor.
    Thread thread = Thread.currentThread();
    ClassLoader prior = thread.getContextClassLoader();
    thread.setContextClassLoader(UpstreamTransport.class.getClassLoader());
    try {
      return super.newConnection(endPoint, context);
    } finally {
      thread.setContextClassLoader(prior);
    }
  }
}
