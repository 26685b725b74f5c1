package io.tollgate.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A provider's upstream keys: refused keys leave the rotation, rate-limited ones cool down, sessions stick. */
class KeyPoolTest extends FailoverFixture {
  private FakeUpstream up;

  private void startPool(String... settings) {
    up = upstream();
    start("""
          - name: pool
            type: openai
            base_url: %s
            api_keys: [sk-pool-key-0-aaaaaaaaaaaa, sk-pool-key-1-bbbbbbbbbbbb, sk-pool-key-2-cccccccccccc]
        """.formatted(up.baseUrl()), """
          - name: pooled
            targets: [{provider: pool, model: up-model}]
        """, settings);
  }

  private static String key(int i) {
    return "sk-pool-key-" + i + "-" + String.valueOf((char) ('a' + i)).repeat(12);
  }

  @Test
  void aRefusedKeyIsDisabledWithItsReasonTheRequestRetriedAtOnceAndAnAdminReEnablesIt() {
    startPool("RETRY_TIMES", "0");
    assertThat(chat("pooled", false, "req-pool-1").statusCode()).isEqualTo(200);
    // The least recently used key is next: key 1, which the upstream refuses.
    up.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key(1) + "\"}}"));
    HttpResponse<String> refusedThenServed = chat("pooled", false, "req-pool-2");
    assertThat(refusedThenServed.statusCode()).isEqualTo(200);
    for (int i = 0; i < 6; i++) {
      assertThat(chat("pooled", i % 2 == 0, "req-pool-more-" + i).statusCode()).isEqualTo(200);
    }
    List<String> keys = keysSeen(up);
    assertThat(keys.subList(0, 3)).containsExactly(key(0), key(1), key(2));
    assertThat(keys.subList(3, keys.size())).hasSize(6).doesNotContain(key(1)).contains(key(0), key(2));

    JsonNode provider = admin("GET", "/admin/providers/pool");
    JsonNode refused = provider.path("keys").get(1);
    assertThat(refused.path("state").asText()).isEqualTo("disabled");
    assertThat(refused.path("reason").asText()).startsWith("HTTP 401");
    assertThat(refused.path("key").asText()).doesNotContain("bbbbbbbbbbbb");
    assertThat(refused.path("failures").asLong()).isEqualTo(1);
    assertThat(refused.path("until").asText()).isNotEmpty();
    assertThat(provider.toString()).doesNotContain(key(0), key(1), key(2));
    assertThat(provider.path("keys").get(0).path("state").asText()).isEqualTo("active");
    assertThat(Http2.health(server).at("/providers/pool/keys/disabled").asInt()).isEqualTo(1);

    JsonNode row = attempts(row("req-pool-2"));
    assertThat(row(("req-pool-2"))).containsEntry("attempts", 2).containsEntry("status", 200);
    assertThat(row).hasSize(2);
    assertThat(row.get(0).path("key").asInt()).isEqualTo(1);
    assertThat(row.get(0).path("status").asInt()).isEqualTo(401);
    assertThat(row.get(0).toString()).doesNotContain("bbbbbbbbbbbb");
    assertThat(row.get(1).path("key").asInt()).isEqualTo(2);
    assertThat(row.get(1).path("status").asInt()).isEqualTo(200);

    JsonNode enabled = admin("POST", "/admin/providers/pool/keys/1/enable");
    assertThat(enabled.path("keys").get(1).path("state").asText()).isEqualTo("active");
    Set<String> after = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      chat("pooled", false, "req-pool-after-" + i);
    }
    after.addAll(keysSeen(up));
    assertThat(after).contains(key(1));
    assertThat(admin("POST", "/admin/providers/pool/keys/7/enable").at("/error/code").asText())
        .isEqualTo("not_found");
    assertThat(admin("POST", "/admin/providers/pool/keys/x/enable").at("/error/code").asText())
        .isEqualTo("not_found");
  }

  @Test
  void everyKeyRefusedIsA502ThatNamesTheProviderAndTheNextRequestFailsFastWithoutCallingIt() {
    startPool("RETRY_TIMES", "2");
    for (int i = 0; i < 3; i++) {
      up.enqueue(FakeResponse.json(403, "{\"error\":{\"message\":\"key revoked\"}}"));
    }
    HttpResponse<String> refused = chat("pooled", false, "req-pool-all-refused");
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(Http2.message(refused)).contains("'pool'", "HTTP 403");
    assertThat(up.requestCount()).isEqualTo(3);
    HttpResponse<String> none = chat("pooled", false, "req-pool-none-left");
    assertThat(none.statusCode()).isEqualTo(502);
    assertThat(Http2.message(none)).contains("disabled", "/admin/providers/{name}/keys/{n}/enable");
    assertThat(up.requestCount()).isEqualTo(3);
  }

  @Test
  void aRefusalWithoutAPooledKeyIsRetriedOnlyAsOftenAsAnyFailure() {
    FakeUpstream bare = upstream();
    start("""
          - {name: bare, type: openai, base_url: %s, options: {header.Authorization: "Bearer sk-fixed-header"}}
        """.formatted(bare.baseUrl()), """
          - {name: bare-model, targets: [{provider: bare, model: m}]}
        """, "RETRY_TIMES", "2");
    for (int i = 0; i < 5; i++) {
      bare.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"no\"}}"));
    }
    assertThat(chat("bare-model", false, "req-bare-401").statusCode()).isEqualTo(502);
    assertThat(bare.requestCount()).isEqualTo(3);
  }

  @Test
  void a429CoolsItsKeyForItsRetryAfterThenOneProbeBringsItBack() throws InterruptedException {
    startPool();
    up.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "2"));
    assertThat(chat("pooled", false, "req-cool-1").statusCode()).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      assertThat(chat("pooled", false, "req-cool-more-" + i).statusCode()).isEqualTo(200);
    }
    List<String> keys = keysSeen(up);
    assertThat(keys.get(0)).isEqualTo(key(0));
    assertThat(keys.subList(1, keys.size())).doesNotContain(key(0));
    JsonNode cooling = admin("GET", "/admin/providers/pool").path("keys").get(0);
    assertThat(cooling.path("state").asText()).isEqualTo("cooling");
    assertThat(cooling.path("reason").asText()).isEqualTo("HTTP 429");
    assertThat(row("req-cool-1")).containsEntry("attempts", 2);

    Thread.sleep(2_300);
    assertThat(chat("pooled", false, "req-cool-probe").statusCode()).isEqualTo(200);
    assertThat(keysSeen(up)).containsExactly(key(0));
    assertThat(admin("GET", "/admin/providers/pool").path("keys").get(0).path("state").asText()).isEqualTo("active");
  }

  @Test
  void whenEveryAttemptIsRateLimitedTheClientWaitsTheShortestRetryAfterSeen() {
    startPool("RETRY_TIMES", "3");
    up.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "30"));
    up.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "5"));
    up.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "20"));
    // Every key cools now: the one whose cooldown ends first (key 1, 5 s) is tried rather than none.
    up.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}")
        .withHeader("Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT"));
    HttpResponse<String> limited = chat("pooled", false, "req-all-429");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(Http2.json(limited).at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(keysSeen(up)).containsExactly(key(0), key(1), key(2), key(1));
  }

  @Test
  void aSessionSticksToOneKeyUntilThatKeyIsRefusedThenToAnother() {
    startPool("RETRY_TIMES", "0");
    for (int i = 0; i < 4; i++) {
      chat("pooled", false, "req-session-a-" + i, "X-Session-Id", "conversation-a");
      chat("{\"model\":\"pooled\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
          "req-session-u-" + i);
    }
    List<String> keys = keysSeen(up);
    Set<String> sessionA = new HashSet<>();
    Set<String> alice = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      (i % 2 == 0 ? sessionA : alice).add(keys.get(i));
    }
    assertThat(sessionA).hasSize(1);
    assertThat(alice).hasSize(1);

    String stuck = sessionA.iterator().next();
    up.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"revoked\"}}"));
    assertThat(chat("pooled", false, "req-session-moved", "X-Session-Id", "conversation-a").statusCode())
        .isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      chat("pooled", false, "req-session-after-" + i, "X-Session-Id", "conversation-a");
    }
    List<String> moved = keysSeen(up);
    assertThat(moved.get(0)).isEqualTo(stuck);
    assertThat(Set.copyOf(moved.subList(1, moved.size()))).hasSize(1).doesNotContain(stuck);
  }

  @Test
  void aKeyWithACallInFlightIsPassedOverWhileOthersAreIdle() throws Exception {
    startPool();
    up.enqueue(FakeResponse.json(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"slow\"},"
        + "\"finish_reason\":\"stop\"}]}").withHeadersDelay(java.time.Duration.ofMillis(2_000)));
    var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> chat("pooled", false, "req-loaded-slow"));
    while (up.requestCount() == 0) {
      Thread.sleep(20);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(chat("pooled", false, "req-loaded-" + i).statusCode()).isEqualTo(200);
    }
    assertThat(slow.get().statusCode()).isEqualTo(200);
    List<String> keys = keysSeen(up);
    // Round-robin would come back to key 0 on the third quick call; the least-loaded pick leaves it to its call.
    assertThat(keys.get(0)).isEqualTo(key(0));
    assertThat(keys.subList(1, 5)).doesNotContain(key(0)).contains(key(1), key(2));
  }

  /** Small helpers over Http for what these tests read. */
  static final class Http2 {
    static JsonNode json(HttpResponse<String> r) {
      return io.tollgate.testing.Http.json(r);
    }

    static String message(HttpResponse<String> r) {
      return json(r).at("/error/message").asText();
    }

    static JsonNode health(io.tollgate.testing.GatewayServer server) {
      return io.tollgate.testing.Http.json(io.tollgate.testing.Http.get(server.baseUrl() + "/health"));
    }
  }

  static Map<String, Object> unused() {
    return Map.of();
  }
}
