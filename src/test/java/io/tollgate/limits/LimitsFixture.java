package io.tollgate.limits;

import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.Http;
import io.tollgate.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The gateway setup the limit tests share: a fake OpenAI upstream behind two models, and requests to send. */
final class LimitsFixture {
  static final String CHAT_BODY = "{\"model\":\"%s\",\"max_tokens\":%d,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"hello there\"}]%s}";

  private LimitsFixture() {
  }

  /** Settings for a gateway in front of {@code upstream} on {@code db} (null for one of its own). */
  static Map<String, String> settings(FakeUpstream upstream, TestDatabase db) {
    try {
      Path yaml = Files.createTempFile("tollgate-limits", ".yaml");
      Files.writeString(yaml, """
          providers:
            - name: main
              type: openai
              base_url: %s
              api_keys: [sk-upstream]
          models:
            - name: gpt-test
              targets: [{provider: main, model: upstream-model}]
            - name: gpt-mini
              targets: [{provider: main, model: upstream-mini}]
          """.formatted(upstream.baseUrl()));
      Map<String, String> settings = new HashMap<>();
      settings.put("TOLLGATE_CONFIG", yaml.toString());
      settings.put("RETRY_TIMES", "0");
      settings.put("READ_TIMEOUT", "10");
      if (db != null) {
        settings.put("TOLLGATE_DB_URL", db.jdbcUrl());
        settings.put("TOLLGATE_DB_USER", db.user());
        settings.put("TOLLGATE_DB_PASSWORD", db.password() == null ? "" : db.password());
      }
      return settings;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String chat(String model, int maxTokens) {
    return chat(model, maxTokens, "");
  }

  static String chat(String model, int maxTokens, String extra) {
    return CHAT_BODY.formatted(model, maxTokens, extra);
  }

  /** What the gateway reserves for this body before the call: as {@link Demand} estimates it. */
  static long estimate(String body, int maxTokens) {
    return body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 4 + 1 + maxTokens;
  }

  static HttpResponse<String> post(String baseUrl, String path, String key, String body, String... headers) {
    HttpRequest.Builder b = Http.builder(baseUrl + path, headers)
        .header("Authorization", Http.bearer(key)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return Http.send(b.build());
  }
}
