package io.tollgate.e2e;

import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.RequestLogRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A gateway in front of a fake OpenAI upstream, configured through the YAML bootstrap file. */
abstract class UpstreamFixture {
  static final String KEY = "sk-tollgate-proxy-test";
  static final String UPSTREAM_KEY_1 = "sk-upstream-1";
  static final String UPSTREAM_KEY_2 = "sk-upstream-2";
  static FakeUpstream upstream;
  static GatewayServer server;
  static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: main
            type: openai
            base_url: %s
            api_keys: [%s, %s]
          - name: own-key
            type: openai
            base_url: %s
            passthrough: true
            strip_sk_prefix: true
          - name: nowhere
            type: openai
            base_url: http://127.0.0.1:9/v1
        models:
          - name: gpt-test
            targets: [{provider: main, model: upstream-model}]
          - name: own-key-model
            targets: [{provider: own-key}]
          - name: dead
            targets: [{provider: nowhere, model: x}]
        clients:
          - name: proxy-tests
            key: %s
        """.formatted(upstream.baseUrl(), UPSTREAM_KEY_1, UPSTREAM_KEY_2, upstream.baseUrl(), KEY));
    Map<String, String> settings = new HashMap<>();
    settings.put("TOLLGATE_CONFIG", yaml.toString());
    settings.put("READ_TIMEOUT", "2");
    settings.put("CONNECT_TIMEOUT", "2");
    // These tests are about how one upstream answer reaches the client: no retry absorbs it, and a key a test has
    // the fake refuse is tried again by the next test. Retries and key pools are FailoverTest's.
    settings.put("RETRY_TIMES", "0");
    settings.put("KEY_RECHECK_INTERVAL", "1ms");
    server = GatewayServer.start(settings);
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stopAll() {
    server.close();
    upstream.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.reset();
  }

  static String url(String path) {
    return server.baseUrl() + path;
  }

  static String chat(boolean stream, String extra) {
    return "{\"model\":\"gpt-test\",\"stream\":" + stream + extra
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }
}
