package io.tollgate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * A fake OpenAI-compatible upstream for the pass-through endpoints that keeps every request's exact bytes (a
 * multipart upload is binary) and answers with bytes too, each answer written by a handler the test queues.
 */
public final class MediaUpstream implements AutoCloseable {
  /** Writes one answer; it may write in pieces and wait between them. */
  public interface Answer {
    void write(HttpExchange exchange) throws IOException;
  }

  /** One request as the upstream received it. */
  public record Received(String method, String path, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }

    /** The multipart form received, by part name; a name that comes twice fails. */
    public Map<String, MultiPart.Part> parts() throws Exception {
      MultiPartFormData.Parser parser = new MultiPartFormData.Parser(MultiPart.extractBoundary(header("Content-Type")));
      parser.setMaxMemoryFileSize(Long.MAX_VALUE);
      Map<String, MultiPart.Part> byName = new HashMap<>();
      for (MultiPart.Part p : parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get()) {
        if (byName.put(p.getName(), p) != null) {
          throw new AssertionError("two parts named " + p.getName());
        }
      }
      return byName;
    }
  }

  private final HttpServer server;
  private final Deque<Answer> answers = new ConcurrentLinkedDeque<>();
  private final LinkedBlockingDeque<Received> received = new LinkedBlockingDeque<>();

  private MediaUpstream(HttpServer server) {
    this.server = server;
  }

  public static MediaUpstream start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    MediaUpstream upstream = new MediaUpstream(server);
    server.createContext("/", upstream::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return upstream;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public MediaUpstream enqueue(Answer answer) {
    answers.add(answer);
    return this;
  }

  /** The next request received, waiting up to 10 s for it. */
  public Received take() {
    try {
      Received r = received.poll(10, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("the upstream received no request");
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public int count() {
    return received.size();
  }

  public void reset() {
    answers.clear();
    received.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
      Answer answer = answers.poll();
      if (answer == null) {
        answer = json(500, "{\"error\":{\"message\":\"no answer queued\"}}");
      }
      answer.write(exchange);
    }
  }

  public static Answer json(int status, String body) {
    return bytes(status, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static Answer bytes(int status, String contentType, byte[] body) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    };
  }

  /** A chunked answer written piece by piece; {@code between} runs after each piece but the last. */
  public static Answer pieces(String contentType, List<byte[]> pieces, Runnable between) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (int i = 0; i < pieces.size(); i++) {
        out.write(pieces.get(i));
        out.flush();
        if (i < pieces.size() - 1) {
          between.run();
        }
      }
    };
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
