package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client side of the faults-under-load tests: one call of a lane's fault model on a raw socket
 * ({@code Connection: close}), checked against the status and shape its fault and dialect call for.
 */
final class FaultCalls {
  private final String baseUrl;
  private final String key;
  private final Duration answeredWithin;

  FaultCalls(String baseUrl, String key, Duration answeredWithin) {
    this.baseUrl = baseUrl;
    this.key = key;
    this.answeredWithin = answeredWithin;
  }

  /** Makes the call and asserts its answer; returns the status, or 0 for a client that left. */
  int call(Lane lane, Fault fault, boolean stream, String id) {
    long start = System.nanoTime();
    int status = fault == Fault.CLIENT_LEAVES ? leave(lane, stream, id) : answer(lane, fault, stream, id);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(id + " answered within").isLessThan(answeredWithin);
    return status;
  }

  private int answer(Lane lane, Fault fault, boolean stream, String id) {
    ClientDialect dialect = lane.dialect();
    RawHttp.Answer a = RawHttp.send(baseUrl, "POST", dialect.path, dialect.body(lane.model(fault), stream),
        dialect.headers(key, id));
    assertThat(a.status()).as(id + ": " + a.body()).isEqualTo(fault.status(stream));
    dialect.assertAnswer(a, stream, fault == Fault.DROP, id);
    if (fault == Fault.RATE_LIMITED) {
      assertThat(a.header("retry-after")).as(id + " Retry-After").isEqualTo("7");
    }
    return a.status();
  }

  /** A plain call left after 300 ms while its answer crawls in; a stream left after its first event. */
  private int leave(Lane lane, boolean stream, String id) {
    URI base = URI.create(baseUrl);
    ClientDialect dialect = lane.dialect();
    byte[] json = dialect.body(lane.model(Fault.CLIENT_LEAVES), stream).getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder("POST ").append(dialect.path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n");
    String[] headers = dialect.headers(key, id);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    head.append("Content-Length: ").append(json.length).append("\r\n\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout((int) answeredWithin.toMillis());
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(json);
      socket.getOutputStream().flush();
      if (stream) {
        assertThat(readUntil(socket.getInputStream(), "data: ")).as(id + " saw an event before leaving").isTrue();
      } else {
        Thread.sleep(300);
      }
    } catch (IOException e) {
      throw new AssertionError(id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(id, e);
    }
    return 0;
  }

  private static boolean readUntil(InputStream in, String marker) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      if (seen.indexOf(marker) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** A client dialect against a provider type; every fault has a model of its own on each type. */
  record Lane(ClientDialect dialect, UpstreamType upstream) {
    String model(Fault fault) {
      return upstream.type() + "-" + fault.model();
    }

    String id() {
      return dialect.name().toLowerCase() + "-to-" + upstream.type();
    }
  }
}
