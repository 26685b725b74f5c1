package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeCollector;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The SDK's whole life: a stop exports the spans still queued, after the request-log writer has handed over its
 * last ones, and leaves none of the SDK's threads; and without an exporter configured nothing of it exists.
 */
class OpenTelemetryLifecycleTest {
  /** The batch processor's thread, the exporter's senders and their shutdown helper. */
  private static final List<String> SDK_THREADS = List.of("BatchSpanProcessor", "jdkhttp-");

  @Test
  void aStopExportsWhatIsQueuedAndLeavesNoSdkThread() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(); FakeCollector collector = FakeCollector.start()) {
      upstream.enqueue(OpenTelemetryExportTest.answer());
      // A schedule far away: only the stop can send the span.
      GatewayServer server = GatewayServer.startWithoutDatabase(
          OpenTelemetryExportTest.settings(upstream, collector, "600000"));
      ClassLoader webapp = server.context().getLoader().getClassLoader();
      try {
        assertThat(sdkThreads()).as("the batch processor runs").isNotEmpty();
        assertThat(chat(server).statusCode()).isEqualTo(200);
        String traceId = upstream.takeRequest().header("traceparent").substring(3, 35);
        awaitCounted(server);
        assertThat(collector.spans()).as("nothing is sent before the schedule or the stop").isEmpty();
        server.close();
        server = null;
        assertThat(collector.spans()).as("the stop exported the queued span")
            .anyMatch(s -> s.traceId().equals(traceId));
      } finally {
        if (server != null) {
          server.close();
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (!sdkThreads().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(sdkThreads()).as("the SDK's threads after the stop").isEmpty();
      // Tomcat's own test for a leak at undeploy: a thread still running with the webapp's class loader.
      assertThat(Thread.getAllStackTraces().keySet()).as("threads holding the stopped webapp's class loader")
          .noneMatch(t -> t.isAlive() && t.getContextClassLoader() == webapp);
    }
  }

  @Test
  void withoutAnExporterNothingIsBuiltOrSent() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(); FakeCollector collector = FakeCollector.start()) {
      upstream.enqueue(OpenTelemetryExportTest.answer());
      Map<String, String> settings = new HashMap<>(OpenTelemetryExportTest.settings(upstream, collector, "10"));
      settings.put("OTEL_TRACES_EXPORTER", "none"); // the endpoint stays: only the exporter setting turns it off
      GatewayServer server = GatewayServer.startWithoutDatabase(settings);
      try {
        assertThat(chat(server).statusCode()).isEqualTo(200);
        String metrics = awaitCounted(server);
        assertThat(metrics).as("span meters exist only with an exporter").doesNotContain("tollgate_spans");
        Thread.sleep(100); // ten schedules of a processor, had one been built
        assertThat(sdkThreads()).isEmpty();
        assertThat(collector.requests()).isEmpty();
      } finally {
        server.close();
      }
    }
  }

  private static java.net.http.HttpResponse<String> chat(GatewayServer server) {
    return Http.post(server.baseUrl() + "/v1/chat/completions",
        "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "Authorization", bearer(OpenTelemetryExportTest.KEY));
  }

  /** Waits until the request-log writer has counted the request (and so made its span, if any); /metrics' text. */
  private static String awaitCounted(GatewayServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String metrics;
    do {
      metrics = Http.get(server.baseUrl() + "/metrics").body();
      if (metrics.contains("tollgate_requests_total{")) {
        return metrics;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the request was never counted:\n" + metrics);
  }

  private static Set<String> sdkThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> SDK_THREADS.stream().anyMatch(n::startsWith)).collect(Collectors.toSet());
  }
}
