package io.tollgate.cache;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The admin side of the cache: a key's own cache_mode (set in the bootstrap file or through the admin API, shown in
 * listings, in force) and the purge.
 */
class KeyCacheModeTest extends CacheFixture {
  private static final String SAMPLED = "{\"model\":\"chat-model\",\"temperature\":0.9,\"messages\":[{\"role\":"
      + "\"user\",\"content\":\"sampled for a key that caches all\"}]}";

  @Test
  void aKeyInModeAllHasSampledAnswersCachedAndModeOffCachesNothing() throws InterruptedException {
    JsonNode key = keyNamed("cache-all");
    assertThat(key.path("cache_mode").asText()).isEqualTo("all");
    post(a, "/v1/chat/completions", ALL_KEY, "req-cache-mode-1", SAMPLED);
    HttpResponse<String> again = post(a, "/v1/chat/completions", ALL_KEY, "req-cache-mode-2", SAMPLED);
    assertThat(cacheHeader(again)).isEqualTo("hit");
    assertThat(upstream.requestCount()).isEqualTo(1);

    HttpResponse<String> off = admin("PATCH", "/admin/keys/" + key.path("id").asLong(), "{\"cache_mode\":\"off\"}");
    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    assertThat(Http.json(off).path("cache_mode").asText()).isEqualTo("off");
    String deterministic = chat("a key whose cache is off");
    long deadline = System.nanoTime() + 10_000_000_000L;
    int n = 0;
    // the key's policy reaches the authenticator's cache within KEY_CACHE_TTL
    while (System.nanoTime() < deadline && upstream.requestCount() < 3) {
      post(a, "/v1/chat/completions", ALL_KEY, "req-cache-mode-off-" + n++, deterministic);
      Thread.sleep(100);
    }
    HttpResponse<String> last = post(a, "/v1/chat/completions", ALL_KEY, "req-cache-mode-off-last", deterministic);
    assertThat(cacheHeader(last)).isEqualTo("miss");
    assertThat(row("req-cache-mode-off-last")).containsEntry("cache_status", null);
  }

  @Test
  void thePurgeEmptiesTheCacheAndNeedsTheAdminKey() {
    chatOn(a, "req-cache-purge-1", chat("purged"));
    assertThat(cacheHeader(chatOn(a, "req-cache-purge-2", chat("purged")))).isEqualTo("hit");
    HttpResponse<String> refused = Http.delete(a.baseUrl() + "/admin/cache", "Authorization", bearer(KEY));
    assertThat(refused.statusCode()).isIn(401, 403);
    assertThat(admin("DELETE", "/admin/cache", null).statusCode()).isEqualTo(200);
    assertThat(cacheHeader(chatOn(a, "req-cache-purge-3", chat("purged")))).isEqualTo("miss");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void anUnknownModeIsABadRequest() {
    HttpResponse<String> r = admin("POST", "/admin/keys", "{\"name\":\"bad-mode\",\"cache_mode\":\"sometimes\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.json(r).path("error").path("message").asText()).contains("cache_mode");
  }

  private static JsonNode keyNamed(String name) {
    for (JsonNode k : Http.json(admin("GET", "/admin/keys", null)).path("data")) {
      if (name.equals(k.path("name").asText())) {
        return k;
      }
    }
    throw new AssertionError("no key named " + name);
  }

  private static HttpResponse<String> admin(String method, String path, String body) {
    return Http.send(Http.builder(a.baseUrl() + path, "Authorization", bearer(ADMIN), "Content-Type",
        "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
