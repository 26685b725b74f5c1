package io.tollgate.upstream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Origin;

/**
 * Jetty's client with a lock-free way to its destinations. Jetty finds the destination of every request with
 * {@code ConcurrentHashMap.compute}, which locks the map's bin even when the destination exists; with one upstream
 * and a Tomcat thread per request that lock was the gateway's most contended monitor on Java 17. A destination is
 * only ever replaced when it goes stale, which needs a destination idle timeout; without one (ours) the first
 * destination of an origin is the one Jetty would return for good.
 */
final class UpstreamHttpClient extends HttpClient {
  private final ConcurrentMap<Origin, Destination> known = new ConcurrentHashMap<>();

  UpstreamHttpClient(HttpClientTransport transport) {
    super(transport);
  }

  @Override
  public Destination resolveDestination(Origin origin) {
    if (getDestinationIdleTimeout() > 0) {
      return super.resolveDestination(origin);
    }
    Destination destination = known.get(origin);
    if (destination == null) {
      destination = super.resolveDestination(origin);
      known.put(origin, destination);
    }
    return destination;
  }

  @Override
  public boolean removeDestination(Destination destination) {
    known.remove(destination.getOrigin(), destination);
    return super.removeDestination(destination);
  }

  @Override
  protected void doStop() throws Exception {
    known.clear();
    super.doStop();
  }
}
