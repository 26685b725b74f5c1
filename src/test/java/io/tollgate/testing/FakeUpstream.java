package io.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An OpenAI-compatible upstream on a raw loopback socket, so tests can also cut a stream mid-way.
 *
 * <p>Enqueued {@link FakeResponse}s are served in order; with an empty queue the fake answers chat completions,
 * completions, embeddings and model lists itself (see {@link DefaultAnswers}), Anthropic Messages and Gemini
 * generateContent calls in their own formats, and anything else with a 404.
 * Every response closes its connection.
 */
public final class FakeUpstream implements AutoCloseable {

  private final ServerSocket server;
  private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "fake-upstream");
    thread.setDaemon(true);
    return thread;
  });
  private final Queue<FakeResponse> script = new ConcurrentLinkedQueue<>();
  private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger acceptCount = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile UnaryOperator<FakeResponse> fallback = UnaryOperator.identity();
  private volatile CountDownLatch clientDisconnected = new CountDownLatch(1);
  private volatile boolean closed;

  private FakeUpstream(ServerSocket server) {
    this.server = server;
  }

  public static FakeUpstream start() {
    try {
      FakeUpstream upstream = new FakeUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      upstream.executor.execute(upstream::acceptLoop);
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the fake upstream's socket", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public FakeUpstream enqueue(FakeResponse response) {
    script.add(response);
    return this;
  }

  /** The oldest request not taken yet, waiting up to 5 s for one to arrive. */
  public RecordedRequest takeRequest() {
    return takeRequest(Duration.ofSeconds(5));
  }

  RecordedRequest takeRequest(Duration timeout) {
    try {
      RecordedRequest request = requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (request == null) {
        throw new AssertionError("the fake upstream received no request within " + timeout);
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a request", e);
    }
  }

  public int requestCount() {
    return requestCount.get();
  }

  /**
   * With nothing enqueued, answers every request with what {@code change} makes of the default answer, for example
   * {@code r -> r.trickled(gap)} or {@code r -> FakeResponse.hang()}: a fake that fails one way under load.
   */
  public FakeUpstream answerAll(UnaryOperator<FakeResponse> change) {
    fallback = change;
    return this;
  }

  /** Connections accepted so far; more than {@link #requestCount()} means some carried no request. */
  public int acceptCount() {
    return acceptCount.get();
  }

  /** Connections accepted and not closed yet. */
  public int openConnections() {
    return open.size();
  }

  /** Forgets enqueued responses, recorded requests and disconnects, for a fake shared by several tests. */
  public void reset() {
    script.clear();
    requests.clear();
    requestCount.set(0);
    clientDisconnected = new CountDownLatch(1);
  }

  /** True once a client hung up, or a write to it failed, while it was still owed data. */
  public boolean awaitClientDisconnect(Duration timeout) {
    try {
      return clientDisconnected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(FakeUpstream::closeQuietly);
    executor.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        acceptCount.incrementAndGet();
        executor.execute(() -> serve(socket));
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void serve(Socket socket) {
    CountDownLatch disconnect = clientDisconnected; // a stream left over from before reset() must not count
    AtomicBoolean owing = new AtomicBoolean();
    boolean reset = false;
    try {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      RecordedRequest request = HttpRequestReader.read(in);
      if (request == null) {
        return;
      }
      requests.add(request);
      requestCount.incrementAndGet();
      FakeResponse response = script.poll();
      owing.set(true);
      watchForHangUp(in, owing, disconnect);
      reset = (response != null ? response : fallback.apply(DefaultAnswers.answer(request)))
          .writeTo(new BufferedOutputStream(socket.getOutputStream()), owing);
    } catch (IOException e) {
      if (owing.get()) {
        disconnected(disconnect);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      owing.set(false);
      if (reset) {
        resetQuietly(socket);
      }
      closeQuietly(socket);
      open.remove(socket);
    }
  }

  // An HTTP/1.1 client sends nothing while it waits for the response, so end-of-stream here means it hung up.
  private void watchForHangUp(InputStream in, AtomicBoolean owing, CountDownLatch disconnect) {
    executor.execute(() -> {
      try {
        while (in.read() != -1) {
          // the request was read in full; ignore anything extra
        }
      } catch (IOException ignored) {
        // a reset counts as hanging up too
      }
      if (owing.getAndSet(false)) {
        disconnected(disconnect);
      }
    });
  }

  private void disconnected(CountDownLatch disconnect) {
    if (!closed) {
      disconnect.countDown();
    }
  }

  private static void resetQuietly(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // the close below still ends the connection
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }

  /** One request as the fake received it; header names are lower-case, repeated headers joined by ", ". */
  public record RecordedRequest(String method, String path, Map<String, String> headers, String body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public RecordedRequest {
      headers = Map.copyOf(headers);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("request body is not JSON: " + body, e);
      }
    }
  }
}
