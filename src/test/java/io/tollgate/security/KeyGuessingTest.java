package io.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AUTH_FAILURE_LIMIT at its default (60 failed key checks a minute per client address), end to end: past it, only
 * failing attempts get a 429 with Retry-After, in the path's dialect and in the request log; a valid key from the
 * same address and other addresses are untouched. The client's address is varied with X-Forwarded-For from a
 * trusted proxy (the test itself).
 */
class KeyGuessingTest {
  private static final String KEY = "sk-tollgate-guessing";
  private static final String ADMIN = "admin-guessing";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static GatewayServer server;

  @BeforeAll
  static void start() {
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", BootstrapFiles.echoWithClient("guessing", KEY),
        "TOLLGATE_ADMIN_KEY", ADMIN, "TRUSTED_PROXIES", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> models(String address, String key, String... more) {
    List<String> headers = new ArrayList<>(List.of("X-Forwarded-For", address, "Authorization", "Bearer " + key));
    headers.addAll(List.of(more));
    return Http.get(server.baseUrl() + "/v1/models", headers.toArray(String[]::new));
  }

  @Test
  void pastSixtyFailuresOnlyFailingAttemptsAreRefused() {
    String address = "198.51.100.10";
    for (int i = 0; i < 60; i++) {
      assertThat(models(address, "sk-wrong-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> refused = models(address, "sk-wrong-61", "X-Request-Id", "guess-61");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    JsonNode error = Http.json(refused).path("error");
    assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.path("code").asText()).isEqualTo("too_many_failed_attempts");
    assertThat(new RequestLogRows(server.database()).await("guess-61", Duration.ofSeconds(10)).get("status"))
        .isEqualTo(429);

    assertThat(models(address, KEY).statusCode()).as("a valid key from the same address").isEqualTo(200);
    assertThat(Http.post(server.baseUrl() + "/v1/chat/completions", CHAT, "X-Forwarded-For", address,
        "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
    assertThat(Http.get(server.baseUrl() + "/admin/keys", "X-Forwarded-For", address, "Authorization",
        "Bearer " + ADMIN).statusCode()).as("the admin key from the same address").isEqualTo(200);

    HttpResponse<String> messages = Http.post(server.baseUrl() + "/v1/messages", CHAT, "X-Forwarded-For", address,
        "x-api-key", "sk-wrong");
    assertThat(messages.statusCode()).isEqualTo(429);
    assertThat(messages.headers().firstValue("Retry-After")).isPresent();
    assertThat(Http.json(messages).path("type").asText()).isEqualTo("error");
    assertThat(Http.json(messages).path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(Http.get(server.baseUrl() + "/admin/keys", "X-Forwarded-For", address, "Authorization",
        "Bearer wrong-admin").statusCode()).as("a wrong admin key").isEqualTo(429);
    assertThat(Http.get(server.baseUrl() + "/v1/models", "X-Forwarded-For", address).statusCode())
        .as("no key at all").isEqualTo(429);

    assertThat(models("198.51.100.11", "sk-wrong").statusCode()).as("another address").isEqualTo(401);
  }

  @Test
  void wrongAdminKeysCountToo() {
    String address = "198.51.100.20";
    for (int i = 0; i < 60; i++) {
      assertThat(Http.get(server.baseUrl() + "/admin/keys", "X-Forwarded-For", address, "Authorization",
          "Bearer admin-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(Http.get(server.baseUrl() + "/admin/keys", "X-Forwarded-For", address, "Authorization",
        "Bearer admin-61").statusCode()).isEqualTo(429);
    assertThat(models(address, KEY).statusCode()).isEqualTo(200);
  }

  /** Guessing at full speed from one address: 60 answers say "wrong key", every other one is a 429. */
  @Test
  void aFastGuesserIsThrottledAfterSixty() throws Exception {
    String address = "203.0.113.5";
    int attempts = 2_000;
    AtomicInteger unauthorized = new AtomicInteger();
    AtomicInteger throttled = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long start = System.nanoTime();
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        all.add(pool.submit(() -> {
          int status = models(address, "sk-" + UUID.randomUUID()).statusCode();
          (status == 401 ? unauthorized : status == 429 ? throttled : new AtomicInteger()).incrementAndGet();
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%d guesses in %.2f s (%.0f a second): %d x 401, %d x 429%n", attempts, seconds,
        attempts / seconds, unauthorized.get(), throttled.get());
    assertThat(unauthorized.get()).isEqualTo(60);
    assertThat(throttled.get()).isEqualTo(attempts - 60);
  }
}
