package io.tollgate.testing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OpenTelemetry collector on a loopback port, as far as OTLP/HTTP goes: it takes {@code POST /v1/traces} with a
 * protobuf body, answers 200, and keeps every body as it came and decoded.
 */
public final class FakeCollector implements AutoCloseable {
  private final HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  private FakeCollector(HttpServer server) {
    this.server = server;
  }

  public static FakeCollector start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeCollector collector = new FakeCollector(server);
      server.createContext("/", exchange -> {
        try (InputStream in = exchange.getRequestBody()) {
          byte[] body = in.readAllBytes();
          collector.paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
              + exchange.getRequestHeaders().getFirst("Content-Type"));
          collector.bodies.add(body);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse: everything accepted
        exchange.close();
      });
      server.start();
      return collector;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For OTEL_EXPORTER_OTLP_ENDPOINT: the SDK adds /v1/traces. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** "POST /v1/traces application/x-protobuf" for each request received. */
  public List<String> requests() {
    return List.copyOf(paths);
  }

  /** Every body received, as raw bytes. */
  public List<byte[]> bodies() {
    return List.copyOf(bodies);
  }

  /** Every span received so far, with the resource it came under. */
  public List<Received> spans() {
    List<Received> out = new ArrayList<>();
    for (byte[] body : bodies) {
      try {
        for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            ss.getSpansList().forEach(s -> out.add(new Received(rs, s)));
          }
        }
      } catch (IOException e) {
        throw new AssertionError("the collector got a body that is not an ExportTraceServiceRequest", e);
      }
    }
    return out;
  }

  /** The first span that matches, waiting up to {@code timeout} for it to arrive. */
  public Optional<Received> await(Predicate<Received> which, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<Received> found = spans().stream().filter(which).findFirst();
      if (found.isPresent()) {
        return found;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** One span and its resource, with its ids as lowercase hex. */
  public record Received(ResourceSpans resource, Span span) {
    public String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    public String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    public String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    /** A string, integer or boolean attribute's value as text, or null. */
    public String attribute(String key) {
      return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).findFirst()
          .map(a -> a.getValue().hasIntValue() ? Long.toString(a.getValue().getIntValue())
              : a.getValue().hasBoolValue() ? Boolean.toString(a.getValue().getBoolValue())
              : a.getValue().getStringValue())
          .orElse(null);
    }

    public String resourceAttribute(String key) {
      return resource.getResource().getAttributesList().stream().filter(a -> a.getKey().equals(key)).findFirst()
          .map(a -> a.getValue().getStringValue()).orElse(null);
    }
  }
}
