package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.PrometheusText;
import io.tollgate.testing.RawHttp;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.ResourceCensus;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of upstream fault at once, under concurrent load, through the real webapp: an upstream that refuses
 * connections, resets them, never answers, trickles, drops the answer half-way, answers 500, 503 or 429, healthy
 * ones, and clients that leave while they wait or mid-stream. Each fault has a provider and model of its own, and
 * no retries or breakers blur which fault gave which answer. Every request gets a well-formed answer with the
 * fault's status in bounded time and a request-log row; afterwards nothing is left behind: no stream, upstream
 * connection, busy thread or descriptor more than before the run.
 */
class UpstreamFaultsUnderLoadTest {
  private static final String KEY = "sk-tollgate-faults-under-load";
  private static final int CLIENTS = 8;
  private static final int ROUNDS = 16;
  /** TOTAL_TIMEOUT (3 s) plus a margin for a loaded machine: no request may take longer. */
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final Duration TRICKLE = Duration.ofMillis(150);
  /** Slow enough that a client leaving after 300 ms, or after the first event, leaves long before the end. */
  private static final Duration CRAWL = Duration.ofMillis(400);
  /** The database pool may grow to TOLLGATE_DB_POOL_SIZE from its two idle connections; a little slack beside. */
  private static final int DESCRIPTOR_SLACK = 6;

  private static final Map<Fault, FakeUpstream> UPSTREAMS = new EnumMap<>(Fault.class);
  private static GatewayServer server;
  private static RequestLogRows rows;

  /** One way an upstream (or a client) fails, and the status a client then gets for a plain and a streamed call. */
  enum Fault {
    OK(200, 200), SLOW(200, 200), REFUSE(502, 502), RESET(502, 502), HANG(504, 504), DROP(502, 200),
    SERVER_ERROR(502, 502), UNAVAILABLE(502, 502), RATE_LIMITED(429, 429), CLIENT_LEAVES(0, 0);

    final int plain;
    final int stream;

    Fault(int plain, int stream) {
      this.plain = plain;
      this.stream = stream;
    }

    String model() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  @BeforeAll
  static void start() throws Exception {
    String error = "{\"error\":{\"message\":\"%s\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
    UPSTREAMS.put(Fault.OK, FakeUpstream.start());
    UPSTREAMS.put(Fault.SLOW, FakeUpstream.start().answerAll(r -> r.trickled(TRICKLE)));
    UPSTREAMS.put(Fault.CLIENT_LEAVES, FakeUpstream.start().answerAll(r -> r.trickled(CRAWL)));
    UPSTREAMS.put(Fault.RESET, FakeUpstream.start().answerAll(r -> FakeResponse.reset()));
    UPSTREAMS.put(Fault.HANG, FakeUpstream.start().answerAll(r -> FakeResponse.hang()));
    UPSTREAMS.put(Fault.DROP, FakeUpstream.start().answerAll(FakeResponse::droppedHalfway));
    UPSTREAMS.put(Fault.SERVER_ERROR, FakeUpstream.start().answerAll(r -> FakeResponse.json(500,
        error.formatted("The server had an error"))));
    UPSTREAMS.put(Fault.UNAVAILABLE, FakeUpstream.start().answerAll(r -> FakeResponse.json(503,
        error.formatted("Overloaded"))));
    UPSTREAMS.put(Fault.RATE_LIMITED, FakeUpstream.start().answerAll(r -> FakeResponse.json(429,
        error.formatted("Rate limit reached")).withHeader("retry-after", "7")));
    StringBuilder providers = new StringBuilder();
    StringBuilder models = new StringBuilder();
    for (Fault fault : Fault.values()) {
      String url = switch (fault) {
        case REFUSE -> "http://127.0.0.1:" + closedPort() + "/v1";
        default -> UPSTREAMS.get(fault).baseUrl();
      };
      providers.append("  - {name: ").append(fault.model()).append(", type: openai, base_url: ").append(url)
          .append(", api_key: sk-up}\n");
      models.append("  - {name: ").append(fault.model()).append(", targets: [{provider: ").append(fault.model())
          .append("}]}\n");
    }
    Path yaml = Files.createTempFile("tollgate-faults", ".yaml");
    Files.writeString(yaml, "providers:\n" + providers + "models:\n" + models
        + "clients: [{name: fault-tests, key: " + KEY + "}]\n");
    server = GatewayServer.start(Map.ofEntries(Map.entry("TOLLGATE_CONFIG", yaml.toString()),
        Map.entry("CONNECT_TIMEOUT", "2"), Map.entry("READ_TIMEOUT", "2"), Map.entry("FIRST_BYTE_TIMEOUT", "1"),
        Map.entry("TOTAL_TIMEOUT", "3"), Map.entry("RETRY_TIMES", "0"), Map.entry("BREAKER_MIN_CALLS", "10000"),
        Map.entry("BREAKER_WINDOW", "10000"), Map.entry("TOLLGATE_DB_POOL_SIZE", "4")));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    UPSTREAMS.values().forEach(FakeUpstream::close);
  }

  @Test
  void everyFaultUnderLoadGetsItsAnswerAndARowAndLeavesNothingBehind() throws Exception {
    // Warm-up: every kind once, so the pools hold the threads a run needs before the baseline is taken.
    Map<String, Outcome> warm = new ConcurrentHashMap<>();
    for (Fault fault : Fault.values()) {
      call(fault, false, "warm-" + fault.model() + "-plain", warm);
      call(fault, true, "warm-" + fault.model() + "-stream", warm);
    }
    assertThat(rows.missing(warm.keySet(), Duration.ofSeconds(10))).isEmpty();
    assertThat(settled(Duration.ofSeconds(10), UpstreamFaultsUnderLoadTest::nothingInFlight)).isTrue();
    ResourceCensus before = ResourceCensus.take();

    Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    List<Runnable> calls = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      for (Fault fault : Fault.values()) {
        for (boolean stream : new boolean[] {false, true}) {
          String id = "load-" + fault.model() + (stream ? "-stream-" : "-plain-") + round;
          calls.add(() -> call(fault, stream, id, outcomes));
        }
      }
    }
    Collections.shuffle(calls, new Random(15));
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS, r -> new Thread(r, "test-fault-client"));
    List<Future<?>> running = calls.stream().<Future<?>>map(clients::submit).toList();
    clients.shutdown();
    assertThat(clients.awaitTermination(calls.size() * ANSWERED_WITHIN.toSeconds() / CLIENTS, TimeUnit.SECONDS))
        .as("every call ended").isTrue();
    for (Future<?> f : running) {
      f.get(); // an assertion that failed in a client thread fails here
    }

    assertThat(outcomes).hasSize(calls.size());
    assertThat(rows.missing(outcomes.keySet(), Duration.ofSeconds(15))).as("requests without a log row").isEmpty();
    Map<String, String> loggedStatus = rows.column("status", outcomes.keySet());
    Map<String, String> loggedError = rows.column("error", outcomes.keySet());
    outcomes.forEach((id, outcome) -> {
      if (outcome.status() > 0) {
        assertThat(loggedStatus.get(id)).as("logged status of " + id).isEqualTo(String.valueOf(outcome.status()));
      } else {
        assertThat(loggedError.get(id)).as("logged error of " + id).contains("client closed the connection");
      }
    });

    boolean settled = settled(SETTLE, () -> nothingInFlight() && ResourceCensus.openDescriptors()
        <= before.descriptors() + DESCRIPTOR_SLACK && ResourceCensus.take().busy().equals(before.busy()));
    ResourceCensus after = ResourceCensus.take();
    PrometheusText metrics = PrometheusText.scrape(server.baseUrl());
    System.out.printf("faults under load: %d calls; threads %s -> %s; busy %s -> %s; descriptors %d -> %d;"
        + " settled %s%n", calls.size(), before.threads(), after.threads(), before.busy(), after.busy(),
        before.descriptors(), after.descriptors(), settled);
    assertThat(metrics.value("tollgate_streams_open")).as("open streams").isZero();
    assertThat(metrics.value("tollgate_upstream_connections", "state", "active")).as("active upstream connections")
        .isZero();
    UPSTREAMS.forEach((fault, upstream) -> assertThat(upstream.openConnections())
        .as("connections still open at the " + fault + " upstream").isZero());
    assertThat(after.busy()).as("threads inside the gateway's code, by group").isEqualTo(before.busy());
    for (String group : List.of(ResourceCensus.UPSTREAM, ResourceCensus.CONNECTOR, ResourceCensus.GATEWAY,
        ResourceCensus.OTHER)) {
      // Idle pool threads may stay for their idle timeout (60 s), but never one per request.
      assertThat(after.threads(group)).as("threads in " + group).isLessThanOrEqualTo(before.threads(group)
          + 2 * CLIENTS);
    }
    if (before.descriptors() >= 0) {
      assertThat(after.descriptors()).as("open descriptors").isLessThanOrEqualTo(before.descriptors()
          + DESCRIPTOR_SLACK);
    }
  }

  /** One call of a fault's model; asserts its answer and records it under {@code id}. */
  private static void call(Fault fault, boolean stream, String id, Map<String, Outcome> outcomes) {
    long start = System.nanoTime();
    Outcome outcome = fault == Fault.CLIENT_LEAVES ? leave(stream, id) : answer(fault, stream, id);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(id + " answered within").isLessThan(ANSWERED_WITHIN);
    outcomes.put(id, outcome);
  }

  private static Outcome answer(Fault fault, boolean stream, String id) {
    RawHttp.Answer a = RawHttp.send(server.baseUrl(), "POST", "/v1/chat/completions", body(fault, stream),
        "Authorization", bearer(KEY), "X-Request-Id", id);
    int expected = stream ? fault.stream : fault.plain;
    assertThat(a.status()).as(id + ": " + a.body()).isEqualTo(expected);
    if (a.status() != 200) {
      FaultAnswers.assertErrorEnvelope(a.body(), id);
      if (fault == Fault.RATE_LIMITED) {
        assertThat(a.header("retry-after")).as(id + " Retry-After").isEqualTo("7");
      }
    } else if (stream) {
      FaultAnswers.assertStream(a, fault == Fault.DROP, id);
    } else {
      FaultAnswers.assertCompletion(a, id);
    }
    return new Outcome(a.status());
  }

  /** A plain call left after 300 ms while its answer crawls in; a stream left after its first event. */
  private static Outcome leave(boolean stream, String id) {
    URI base = URI.create(server.baseUrl());
    byte[] json = body(Fault.CLIENT_LEAVES, stream).getBytes(StandardCharsets.UTF_8);
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nAuthorization: Bearer " + KEY + "\r\nX-Request-Id: " + id
        + "\r\nContent-Length: " + json.length + "\r\n\r\n";
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout((int) ANSWERED_WITHIN.toMillis());
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
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
    return new Outcome(0);
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

  private static String body(Fault fault, boolean stream) {
    return "{\"model\":\"" + fault.model() + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static boolean nothingInFlight() {
    PrometheusText m = PrometheusText.scrape(server.baseUrl());
    return m.value("tollgate_streams_open") == 0 && m.value("tollgate_upstream_connections", "state", "active") == 0
        && UPSTREAMS.values().stream().allMatch(u -> u.openConnections() == 0);
  }

  private static boolean settled(Duration within, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  /** A port nothing listens on: bound once to find it free, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** What a client got: the status, or 0 for a client that left. */
  private record Outcome(int status) {
  }
}
