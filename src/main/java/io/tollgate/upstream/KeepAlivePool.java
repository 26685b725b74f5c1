package io.tollgate.upstream;

import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.DuplexConnectionPool;

/**
 * HTTP/1.1 connections to one upstream, keeping at most {@code maxIdle} of them idle for reuse (MAX_KEEPALIVE): a
 * connection released beyond that is closed by the destination instead of pooled.
 */
final class KeepAlivePool extends DuplexConnectionPool {
  private final int maxIdle;

  KeepAlivePool(Destination destination, int maxConnections, int maxIdle) {
    super(destination, maxConnections);
    this.maxIdle = maxIdle;
  }

  @Override
  public boolean release(Connection connection) {
    if (getIdleConnectionCount() >= maxIdle) {
      return false;
    }
    return super.release(connection);
  }
}
