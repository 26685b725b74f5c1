package io.tollgate.e2e;

import io.tollgate.testing.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads that send chat requests with known keys to a gateway until stopped, each with its own request id,
 * and keep what each got and how long it took, marked with the phase (before, during or after an outage) it
 * started in.
 */
final class OutageTraffic implements AutoCloseable {
  enum Phase { BEFORE, OUTAGE, AFTER }

  record Sent(String requestId, String key, Phase phase, int status, long millis, String body) {
  }

  private final String baseUrl;
  private final List<String> keys;
  private final ExecutorService clients;
  private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final AtomicInteger next = new AtomicInteger();
  private final String prefix;
  private volatile Phase phase = Phase.BEFORE;
  private volatile boolean running = true;

  private OutageTraffic(String baseUrl, List<String> keys, int threads, String prefix) {
    this.baseUrl = baseUrl;
    this.keys = keys;
    this.prefix = prefix;
    this.clients = Executors.newFixedThreadPool(threads);
    for (int i = 0; i < threads; i++) {
      clients.execute(this::loop);
    }
  }

  /** {@code threads} clients taking turns over {@code keys}; request ids start with {@code prefix}. */
  static OutageTraffic start(String baseUrl, List<String> keys, int threads, String prefix) {
    return new OutageTraffic(baseUrl, keys, threads, prefix);
  }

  void phase(Phase now) {
    phase = now;
  }

  /** Stops the clients and waits for their last requests (each bounded by the client's timeout). */
  List<Sent> stop() throws InterruptedException {
    running = false;
    clients.shutdown();
    if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new AssertionError("client threads still waiting after 60 s");
    }
    return new ArrayList<>(sent);
  }

  /** Waits until at least {@code count} requests have been answered in {@code phase}. */
  void awaitAnswered(Phase in, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sent.stream().filter(s -> s.phase() == in).count() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("fewer than " + count + " requests answered in phase " + in + " after " + timeout);
      }
      Thread.sleep(10);
    }
  }

  private void loop() {
    while (running) {
      int n = next.incrementAndGet();
      String key = keys.get(n % keys.size());
      String id = prefix + "-" + n;
      Phase at = phase;
      long start = System.nanoTime();
      HttpResponse<String> r = Http.send(Http.builder(baseUrl + "/v1/chat/completions",
          "Authorization", Http.bearer(key), "X-Request-Id", id, "Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-test"))).build());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      sent.add(new Sent(id, key, at, r.statusCode(), millis, r.statusCode() == 200 ? "" : r.body()));
      pause(); // a steady stream, not a flood: the machine is shared with other builds
    }
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Override
  public void close() {
    running = false;
    clients.shutdownNow();
  }
}
