package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.e2e.FaultCalls.Lane;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.PrometheusText;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.ResourceCensus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The faults-under-load run, for any client dialects and provider types: every kind of upstream fault at once, under
 * concurrent load, through the real webapp. Each fault has a provider and model of its own on each provider type,
 * and no retries or breakers blur which fault gave which answer. Every request gets a well-formed answer in its
 * dialect with the fault's status in bounded time, and a request-log row; afterwards nothing is left behind: no
 * stream, upstream connection, busy thread or descriptor more than before the run.
 */
final class FaultLoad implements AutoCloseable {
  private static final String KEY = "sk-tollgate-faults-under-load";
  private static final int CLIENTS = 8;
  /** TOTAL_TIMEOUT (3 s) plus a margin for a loaded machine: no request may take longer. */
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);
  private static final Duration SETTLE = Duration.ofSeconds(20);
  /** The database pool may grow to TOLLGATE_DB_POOL_SIZE from its two idle connections; a little slack beside. */
  private static final int DESCRIPTOR_SLACK = 6;

  /** The fakes by model name; REFUSE has none. */
  private final Map<String, FakeUpstream> upstreams;
  /** REFUSE's ports, held for the run. */
  private final List<Socket> refusing;
  private final GatewayServer server;
  private final RequestLogRows rows;
  private final FaultCalls calls;

  private FaultLoad(Map<String, FakeUpstream> upstreams, List<Socket> refusing, GatewayServer server) {
    this.upstreams = upstreams;
    this.refusing = refusing;
    this.server = server;
    this.rows = new RequestLogRows(server.database());
    this.calls = new FaultCalls(server.baseUrl(), KEY, ANSWERED_WITHIN);
  }

  /** Fakes for every fault on each of these provider types, and a gateway with a provider and model for each. */
  static FaultLoad start(Collection<UpstreamType> types) throws IOException {
    Map<String, FakeUpstream> upstreams = new LinkedHashMap<>();
    List<Socket> refusing = new ArrayList<>();
    StringBuilder providers = new StringBuilder();
    StringBuilder models = new StringBuilder();
    for (UpstreamType type : types) {
      for (Fault fault : Fault.values()) {
        String name = type.type() + "-" + fault.model();
        int port = fault == Fault.REFUSE ? refusingPort(refusing)
            : upstreams.computeIfAbsent(name, n -> type.fake(fault)).port();
        providers.append("  - {name: ").append(name).append(", type: ").append(type.type()).append(", base_url: ")
            .append(type.baseUrl(port)).append(", api_key: sk-up}\n");
        models.append("  - {name: ").append(name).append(", targets: [{provider: ").append(name).append("}]}\n");
      }
    }
    Path yaml = Files.createTempFile("tollgate-faults", ".yaml");
    Files.writeString(yaml, "providers:\n" + providers + "models:\n" + models
        + "clients: [{name: fault-tests, key: " + KEY + "}]\n");
    try {
      return new FaultLoad(upstreams, refusing, GatewayServer.start(Map.ofEntries(Map.entry("TOLLGATE_CONFIG",
          yaml.toString()), Map.entry("CONNECT_TIMEOUT", "2"), Map.entry("READ_TIMEOUT", "2"),
          Map.entry("FIRST_BYTE_TIMEOUT", "1"), Map.entry("TOTAL_TIMEOUT", "3"), Map.entry("RETRY_TIMES", "0"),
          Map.entry("BREAKER_MIN_CALLS", "10000"), Map.entry("BREAKER_WINDOW", "10000"),
          Map.entry("TOLLGATE_DB_POOL_SIZE", "4"))));
    } catch (RuntimeException e) {
      upstreams.values().forEach(FakeUpstream::close);
      refusing.forEach(FaultLoad::closeQuietly);
      throw e;
    }
  }

  /** Each fault of each lane {@code rounds} times plain and streamed, shuffled over 8 clients, then the checks. */
  void run(List<Lane> lanes, int rounds) throws Exception {
    // Warm-up: every kind once, at the run's concurrency, so the pools hold the threads a run needs before the
    // baseline is taken.
    Map<String, Integer> warm = callAll(lanes, 1, "warm-");
    assertThat(rows.missing(warm.keySet(), Duration.ofSeconds(10))).isEmpty();
    assertThat(settled(Duration.ofSeconds(10), this::nothingInFlight)).as("after the warm-up: %s", inFlight())
        .isTrue();
    ResourceCensus before = ResourceCensus.take();

    Map<String, Integer> outcomes = callAll(lanes, rounds, "load-");
    assertLogged(outcomes);
    assertNothingLeftBehind(before, outcomes.size());
  }

  /** Makes every call, in a shuffled order over 8 client threads; returns each one's status (0: the client left). */
  private Map<String, Integer> callAll(List<Lane> lanes, int rounds, String prefix) throws Exception {
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    List<Runnable> all = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (Lane lane : lanes) {
        for (Fault fault : Fault.values()) {
          for (boolean stream : new boolean[] {false, true}) {
            String id = prefix + lane.id() + "-" + fault.model() + (stream ? "-stream-" : "-plain-") + round;
            all.add(() -> outcomes.put(id, calls.call(lane, fault, stream, id)));
          }
        }
      }
    }
    Collections.shuffle(all, new Random(15));
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS, r -> new Thread(r, "test-fault-client"));
    List<Future<?>> running = all.stream().<Future<?>>map(clients::submit).toList();
    clients.shutdown();
    assertThat(clients.awaitTermination(all.size() * ANSWERED_WITHIN.toSeconds() / CLIENTS + 1, TimeUnit.SECONDS))
        .as("every call ended").isTrue();
    for (Future<?> f : running) {
      f.get(); // an assertion that failed in a client thread fails here
    }
    assertThat(outcomes).hasSize(all.size());
    return outcomes;
  }

  private void assertLogged(Map<String, Integer> outcomes) {
    assertThat(rows.missing(outcomes.keySet(), Duration.ofSeconds(15))).as("requests without a log row").isEmpty();
    Map<String, String> loggedStatus = rows.column("status", outcomes.keySet());
    Map<String, String> loggedError = rows.column("error", outcomes.keySet());
    outcomes.forEach((id, status) -> {
      if (status > 0) {
        assertThat(loggedStatus.get(id)).as("logged status of " + id).isEqualTo(String.valueOf(status));
      } else {
        assertThat(loggedError.get(id)).as("logged error of " + id).contains("client closed the connection");
      }
    });
  }

  private void assertNothingLeftBehind(ResourceCensus before, int callCount) throws InterruptedException {
    boolean settled = settled(SETTLE, () -> nothingInFlight() && ResourceCensus.openDescriptors()
        <= before.descriptors() + DESCRIPTOR_SLACK && ResourceCensus.take().busy().equals(before.busy()));
    ResourceCensus after = ResourceCensus.take();
    PrometheusText metrics = PrometheusText.scrape(server.baseUrl());
    System.out.printf("faults under load: %d calls; threads %s -> %s; busy %s -> %s; descriptors %d -> %d;"
        + " settled %s%n", callCount, before.threads(), after.threads(), before.busy(), after.busy(),
        before.descriptors(), after.descriptors(), settled);
    assertThat(metrics.value("tollgate_streams_open")).as("open streams").isZero();
    assertThat(metrics.value("tollgate_upstream_connections", "state", "active")).as("active upstream connections")
        .isZero();
    assertThat(inFlight()).as("connections still open at the upstreams").isEmpty();
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

  private boolean nothingInFlight() {
    return inFlight().isEmpty();
  }

  /** What is still open: streams, active upstream connections, connections at each fake; empty when nothing. */
  private String inFlight() {
    PrometheusText m = PrometheusText.scrape(server.baseUrl());
    StringBuilder open = new StringBuilder();
    double streams = m.value("tollgate_streams_open");
    double active = m.value("tollgate_upstream_connections", "state", "active");
    if (streams != 0 || active != 0) {
      open.append("streams ").append(streams).append(", active upstream connections ").append(active).append("; ");
    }
    // Jetty may open a connection for a queued request that another one then serves: it waits idle in the pool
    // until its idle timeout. Connections at the fakes that the gateway holds idle are not in flight.
    double idle = m.value("tollgate_upstream_connections", "state", "idle");
    long atFakes = upstreams.values().stream().mapToLong(FakeUpstream::openConnections).sum();
    if (open.length() == 0 && atFakes <= idle) {
      return "";
    }
    open.append("idle upstream connections ").append(idle).append("; ");
    upstreams.forEach((model, u) -> {
      if (u.openConnections() != 0) {
        open.append(model).append(' ').append(u.openConnections()).append(" open (").append(u.acceptCount())
            .append(" accepted, ").append(u.requestCount()).append(" requests); ");
      }
    });
    return open.toString();
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

  /**
   * A port bound but not listening, so a connection to it is refused. Held rather than found free and closed: a fake
   * started later could be given a closed port, and then REFUSE's calls were answered (seen once).
   */
  private static int refusingPort(List<Socket> held) throws IOException {
    Socket socket = new Socket();
    held.add(socket);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return socket.getLocalPort();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the port is given back either way when the JVM ends
    }
  }

  @Override
  public void close() {
    server.close();
    upstreams.values().forEach(FakeUpstream::close);
    refusing.forEach(FaultLoad::closeQuietly);
  }
}
