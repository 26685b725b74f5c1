package io.tollgate.lifecycle;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The packaged WAR reloaded in a running Tomcat while clients send plain and streamed requests: every answer a client
 * got has its log row, every other request got a 503 JSON with Retry-After (or waited for the new webapp), and Tomcat
 * reports no thread or thread local left behind by the old webapp's class loader. Run by failsafe after `package`.
 */
class RedeployUnderLoadWarTest {
  private static final String KEY = "sk-tollgate-redeploy";
  private static final int PLAIN_CLIENTS = 3;
  private static final int STREAM_CLIENTS = 3;

  private record Outcome(String kind, int status, String requestId, String body, String retryAfter, Throwable error) {
  }

  @Test
  void aReloadUnderLoadLosesNoLogRowAndLeaksNoThread() throws Exception {
    Queue<String> leaks = new ConcurrentLinkedQueue<>();
    Handler leakWatch = new Handler() {
      @Override
      public void publish(LogRecord r) {
        String message = String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters());
        if (message.contains("failed to stop it") || message.contains("failed to remove it")) {
          leaks.add(message);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger loaderLog = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");
    loaderLog.addHandler(leakWatch);
    try (FakeUpstream fast = FakeUpstream.start(); FakeUpstream slow = FakeUpstream.start()) {
      for (int i = 0; i < 400; i++) {
        slow.enqueue(FakeResponse.sse(deltas(), Duration.ofMillis(40)));
      }
      GatewayServer server = GatewayServer.startWar(Path.of(System.getProperty("tollgate.war",
          "target/tollgate.war")), "", settings(fast, slow));
      Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(PLAIN_CLIENTS + STREAM_CLIENTS);
      try {
        for (int i = 0; i < PLAIN_CLIENTS + STREAM_CLIENTS; i++) {
          boolean stream = i >= PLAIN_CLIENTS;
          clients.execute(() -> {
            while (running.get()) {
              outcomes.add(call(server.baseUrl(), stream));
            }
          });
        }
        awaitAnswers(outcomes, 0, 20);
        int before = outcomes.size();
        server.context().reload();
        awaitAnswers(outcomes, before, 20);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        List<Outcome> all = new ArrayList<>(outcomes);
        assertThat(all).allSatisfy(o -> {
          assertThat(o.error()).as("no connection failed: %s", o).isNull();
          assertThat(o.status()).as("%s", o).isIn(200, 503);
          if (o.status() == 503) {
            assertThat(o.retryAfter()).as("a refusal says when to retry").isNotNull();
            assertThat(Http.JSON.readTree(o.body()).at("/error/type").asText()).isEqualTo("server_error");
          } else if (o.kind().equals("stream")) {
            assertThat(o.body()).as("a stream answered runs to its end").contains("data: [DONE]");
          }
        });
        List<Outcome> answered = all.stream().filter(o -> o.status() == 200).toList();
        assertThat(answered.stream().filter(o -> o.kind().equals("stream")).count()).isPositive();
        Set<String> missing = missingRows(new RequestLogRows(server.database()), answered);
        assertThat(missing).as("answered requests without a log row").isEmpty();
      } finally {
        running.set(false);
        clients.shutdownNow();
        server.close();
      }
      assertThat(leaks).as("Tomcat's reports of threads (and thread locals) the old webapp left").isEmpty();
    } finally {
      loaderLog.removeHandler(leakWatch);
    }
  }

  /** Waits, within a generous bound for a busy machine, until {@code count} more requests have been answered. */
  private static void awaitAnswers(Queue<Outcome> outcomes, int from, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (outcomes.stream().skip(from).filter(o -> o.status() == 200).count() < count) {
      assertThat(System.nanoTime()).as("%d answers within 60 s: %s", count, summary(outcomes)).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static Map<String, Long> summary(Queue<Outcome> outcomes) {
    return outcomes.stream().collect(Collectors.groupingBy(o -> o.kind() + " " + o.status()
        + (o.error() == null ? "" : " " + o.error()), Collectors.counting()));
  }

  private static Outcome call(String baseUrl, boolean stream) {
    String body = "{\"model\":\"" + (stream ? "slow" : "fast") + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try {
      HttpResponse<String> r = Http.client().send(Http.builder(baseUrl + "/v1/chat/completions",
              "Authorization", bearer(KEY), "Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Outcome(stream ? "stream" : "plain", r.statusCode(),
          r.headers().firstValue("X-Request-Id").orElse(null), r.body(),
          r.headers().firstValue("Retry-After").orElse(null), null);
    } catch (Exception e) {
      return new Outcome(stream ? "stream" : "plain", -1, null, null, null, e);
    }
  }

  /** Request ids of answers with no row, after giving the writer time to catch up. */
  private static Set<String> missingRows(RequestLogRows rows, List<Outcome> answered) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    Set<String> missing = answered.stream().map(Outcome::requestId).collect(Collectors.toSet());
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      missing.removeIf(id -> rows.find(id).isPresent());
      Thread.sleep(200);
    }
    return missing;
  }

  private static List<String> deltas() {
    return IntStream.range(0, 8).mapToObj(i -> "{\"id\":\"c\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1,\"model\":\"up\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"d" + i + "\"},"
        + "\"finish_reason\":null}]}").toList();
  }

  private static Map<String, String> settings(FakeUpstream fast, FakeUpstream slow) throws Exception {
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - {name: fast, type: openai, base_url: %s, api_keys: [sk-upstream]}
          - {name: slow, type: openai, base_url: %s, api_keys: [sk-upstream]}
        models:
          - {name: fast, targets: [{provider: fast, model: up}]}
          - {name: slow, targets: [{provider: slow, model: up}]}
        clients:
          - {name: redeploy, key: %s}
        """.formatted(fast.baseUrl(), slow.baseUrl(), KEY));
    return Map.of("TOLLGATE_CONFIG", yaml.toString(), "SHUTDOWN_GRACE", "20s");
  }
}
