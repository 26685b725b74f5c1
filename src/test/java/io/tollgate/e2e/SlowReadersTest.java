package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many clients that read their streams at a few hundred bytes a second hold no thread each (a blocked write used
 * to hold an upstream callback thread per client, and the pool has 200), and other clients are answered meanwhile;
 * once the slow ones read on, each gets its whole stream, every event in order. The number of slow clients is the
 * system property {@code tollgate.slowReaders} (200 by default; RELIABILITY.md has a run with 1000).
 */
class SlowReadersTest {
  private static final String KEY = "sk-tollgate-slow";
  private static final int SLOW = Integer.getInteger("tollgate.slowReaders", 200);
  /** About 75 KB a stream: well past the socket buffers between the gateway and a client reading 4 KB at a time. */
  private static final int EVENTS = 300;
  private static final int OTHERS = 20;
  private static FakeUpstream upstream;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws IOException {
    upstream = FakeUpstream.start();
    String yaml = BootstrapFiles.oneModelWithClient(upstream.baseUrl(), "slow-readers", KEY);
    // No retries: an attempt that failed would take another scripted stream. The fake upstream accepts slowly
    // under this many connections at once (a thread each), hence the generous connect timeout.
    // A small send buffer, so a client's socket fills after a few reads, as it does on a real network once a
    // slow reader falls behind (on loopback the kernel would otherwise take a whole stream at once).
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml, "READ_TIMEOUT", "300",
        "CONNECT_TIMEOUT", "60", "RETRY_TIMES", "0", GatewayServer.CONNECTOR + "socket.txBufSize", "8192"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  @Test
  void slowReadersHoldNoThreadAndOthersAreServedMeanwhile() throws Exception {
    List<String> events = IntStream.range(0, EVENTS).mapToObj(SlowReadersTest::chunk).toList();
    List<String> withDone = new ArrayList<>(events);
    withDone.add("[DONE]");
    // One answer first: the first counts tokens, and loading the tokenizer takes a while (not what is measured).
    other();
    int asked = upstream.requestCount();
    for (int i = 0; i < SLOW; i++) {
      upstream.enqueue(FakeResponse.sse(withDone, Duration.ZERO));
    }
    int threadsBefore = SlowClient.gatewayThreads().size();
    List<SlowClient> slow = new ArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (int i = 0; i < SLOW; i++) {
      slow.add(SlowClient.ask(server.baseUrl(), KEY, "gpt-test", "slow-" + i));
      if (slow.size() % 50 == 0 || slow.size() == SLOW) {
        while (upstream.requestCount() < asked + slow.size() && System.nanoTime() < until) {
          Thread.sleep(20);
        }
      }
    }
    assertThat(upstream.requestCount() - asked).as("slow streams begun").isEqualTo(SLOW);

    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> others = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < OTHERS; i++) {
        long t = System.nanoTime();
        other();
        latencies.add((System.nanoTime() - t) / 1_000_000);
      }
    });
    // Eight seconds at 30 bytes every 100 ms: 300 B/s each, while the gateway's threads are counted.
    int most = 0;
    int busiest = 0;
    java.util.Set<String> busyBefore = java.util.Set.of();
    for (int round = 0; round < 80; round++) {
      long next = System.nanoTime() + 100_000_000L;
      for (SlowClient c : slow) {
        c.readSome(30);
      }
      most = Math.max(most, SlowClient.gatewayThreads().size());
      // Held: busy in two samples running (100 ms apart). One snapshot also catches threads passing through work
      // on a loaded machine; a thread a slow client holds stays busy for as long as the client takes to read.
      java.util.Set<String> busy = SlowClient.busyGatewayThreads();
      busiest = Math.max(busiest, (int) busy.stream().filter(busyBefore::contains).count());
      busyBefore = busy;
      Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
    }
    others.get();
    List<Long> sorted = latencies.stream().sorted().toList();
    System.out.printf("slow readers: %d; gateway threads (tomcat exec + upstream pool, platform): before %d, most "
        + "%d while slow, of them held busy (two samples running) at most %d; other clients' streams (%d): median %d ms, max %d ms %s; java %s%n",
        SLOW, threadsBefore, most, busiest, OTHERS, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
        latencies, Runtime.version());
    // The pools grow while the streams start (and shrink a minute after); what a slow client must not take is a
    // thread of its own: a blocked write held one each, busy for as long as the client took to read.
    assertThat(busiest).as("gateway threads held busy while %d clients read slowly", SLOW).isLessThan(Math.max(25, SLOW / 10));
    assertThat(most).as("gateway threads while %d clients read slowly", SLOW).isLessThan(SLOW);
    assertThat(sorted.get(sorted.size() - 1)).as("slowest other client, ms").isLessThan(5_000L);
    for (SlowClient c : slow) {
      assertThat(c.received()).as("bytes a slow client got in 8 s").isBetween(1, 80 * 30);
    }

    for (SlowClient c : slow) {
      try (c) {
        String body = c.rest();
        List<String> data = body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data).hasSize(EVENTS + 1);
        assertThat(data.subList(0, EVENTS)).isEqualTo(events);
        assertThat(data.get(EVENTS)).isEqualTo("[DONE]");
      }
    }
  }

  /** A client that reads at once: a short stream, whole. */
  private static void other() {
    RawHttp.Answer a = RawHttp.send(server.baseUrl(), "POST", "/v1/chat/completions",
        "{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "Authorization", "Bearer " + KEY);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).contains("data: [DONE]");
  }

  private static String chunk(int i) {
    return "{\"id\":\"chatcmpl-slow\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"upstream-model\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + i + ":" + "x".repeat(120) + "\"},"
        + "\"finish_reason\":null}]}";
  }
}
