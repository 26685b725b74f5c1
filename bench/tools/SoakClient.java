import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's load generator: exactly REQUESTS requests, CONCURRENCY at a time (one virtual thread each, keep-alive
 * connections of the JDK's client), a fixed mix picked by the request's number: every STREAM_EVERY-th a stream
 * (it must answer 200, 20 data events ending with [DONE]), every FAIL_EVERY-th to a model whose upstream refuses
 * connections (it must answer 502 or 503 with an OpenAI error envelope), the rest plain chat completions (200, a
 * chat.completion). Each request waits at most 30 s. Writes the number of requests done to PROGRESS_FILE every
 * second, and prints one line at the end: SOAKJSON {...}. Needs Java 21+:
 *
 *   java SoakClient.java URL KEY REQUESTS CONCURRENCY STREAM_EVERY FAIL_EVERY PROGRESS_FILE
 */
public class SoakClient {
  static final AtomicLong done = new AtomicLong();
  static final AtomicLong next = new AtomicLong();
  static final java.util.concurrent.atomic.AtomicBoolean firstBad = new java.util.concurrent.atomic.AtomicBoolean();
  static final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

  public static void main(String[] a) throws Exception {
    URI url = URI.create(a[0]);
    String key = a[1];
    long requests = Long.parseLong(a[2]);
    int concurrency = Integer.parseInt(a[3]);
    int streamEvery = Integer.parseInt(a[4]);
    int failEvery = Integer.parseInt(a[5]);
    Path progress = Path.of(a[6]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    long t0 = System.nanoTime();
    Thread reporter = Thread.ofPlatform().daemon().start(() -> report(progress));
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < concurrency; w++) {
        workers.submit(() -> {
          for (long n; (n = next.getAndIncrement()) < requests; ) {
            String kind = n % failEvery == failEvery - 1 ? "refused" : n % streamEvery == 0 ? "stream" : "plain";
            outcome(kind + " " + one(http, url, key, kind));
            done.incrementAndGet();
          }
          return null;
        });
      }
      workers.shutdown();
      workers.awaitTermination(7, TimeUnit.DAYS);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    reporter.interrupt();
    Files.writeString(progress, done.get() + "\n");
    StringBuilder json = new StringBuilder("{\"requests\":").append(done.get()).append(",\"seconds\":")
        .append(String.format(java.util.Locale.ROOT, "%.1f", seconds)).append(",\"outcomes\":{");
    Map<String, AtomicLong> sorted = new TreeMap<>(outcomes);
    String sep = "";
    for (Map.Entry<String, AtomicLong> e : sorted.entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue().get());
      sep = ",";
    }
    System.out.println("SOAKJSON " + json.append("}}"));
  }

  /** "ok" when the answer is what the kind must get, else a short reason. */
  static String one(HttpClient http, URI url, String key, String kind) {
    String model = kind.equals("refused") ? "soak-refused" : kind.equals("stream") ? "bench-sse" : "bench-json";
    String body = "{\"model\":\"" + model + "\",\"stream\":" + kind.equals("stream")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say something short.\"}]}";
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      String text = r.body();
      String outcome = switch (kind) {
        // nginx's 20 events less its usage-only one (this client did not ask for include_usage), then [DONE]
        case "stream" -> r.statusCode() == 200 && text.endsWith("data: [DONE]\n\n")
            && text.split("data: ", -1).length - 1 == 20 ? "ok" : "bad-" + r.statusCode();
        case "refused" -> (r.statusCode() == 502 || r.statusCode() == 503) && text.startsWith("{\"error\":{")
            ? "ok-" + r.statusCode() : "bad-" + r.statusCode();
        default -> r.statusCode() == 200 && text.contains("\"chat.completion\"") ? "ok" : "bad-" + r.statusCode();
      };
      if (!outcome.startsWith("ok") && firstBad.compareAndSet(false, true)) {
        System.err.println("first bad answer (" + kind + ", " + r.statusCode() + "): " + text);
      }
      return outcome;
    } catch (Exception e) {
      return "failed-" + e.getClass().getSimpleName();
    }
  }

  static void outcome(String name) {
    outcomes.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
  }

  static void report(Path progress) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Files.writeString(progress, done.get() + "\n");
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // the next second writes it again
      }
    }
  }
}
