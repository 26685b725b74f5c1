package io.tollgate.e2e;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FixtureFiles;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.RequestLogRows;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A gateway whose models sit on one fake upstream speaking three dialects, one provider type each: OpenAI
 * (gpt-via-messages), Anthropic (claude-native) and Gemini (gemini-via-messages); Azure OpenAI (gpt-via-azure) on
 * the same fake; plus an echo provider (echo-test).
 */
abstract class MessagesFixture {
  static final String KEY = "sk-tollgate-messages-test";
  static final String OPENAI_KEY = "sk-openai-upstream";
  static final String ANTHROPIC_KEY = "sk-ant-upstream";
  static final String GEMINI_KEY = "AIza-upstream";
  static FakeUpstream upstream;
  static GatewayServer server;
  static RequestLogRows rows;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    String root = "http://127.0.0.1:" + upstream.port();
    Path yaml = Files.createTempFile("tollgate-messages", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: oai
            type: openai
            base_url: %1$s/v1
            api_key: %2$s
          - name: claude
            type: anthropic
            base_url: %1$s
            api_key: %3$s
          - name: google
            type: gemini
            base_url: %1$s
            api_key: %4$s
          - name: echoes
            type: echo
          - name: azr
            type: azure
            base_url: %1$s
            api_key: %2$s
        models:
          - name: gpt-via-messages
            targets: [{provider: oai, model: gpt-4o-upstream}]
          - name: claude-native
            targets: [{provider: claude, model: claude-upstream}]
          - name: claude-sonnet-4-5
            targets: [{provider: claude, model: claude-sonnet-4-5}]
          - name: gemini-via-messages
            targets: [{provider: google, model: gemini-2.5-flash}]
          - name: echo-test
            targets: [{provider: echoes, model: echo}]
          - name: gpt-via-azure
            targets: [{provider: azr, model: gpt-4o-deploy}]
          - name: gpt-limited
            targets: [{provider: oai, model: gpt-small}]
            max_tokens: 20
            supports_tools: false
            supports_streaming: false
        clients:
          - name: messages-tests
            key: %5$s
        """.formatted(root, OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY, KEY));
    // These tests are about how one upstream answer reaches the client: no retry absorbs it, and a key a test has
    // the fake refuse is tried again by the next test. Retries and key pools are FailoverTest's.
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "0", "KEY_RECHECK_INTERVAL", "1ms",
        "READ_TIMEOUT", "5"));
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

  /** The official Anthropic SDK pointed at the gateway, without retries so each test sees one upstream call. */
  static AnthropicClient sdk() {
    return AnthropicOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  static HttpResponse<String> post(String path, String body, String... headers) {
    String[] all = Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "x-api-key";
    all[headers.length + 1] = KEY;
    return Http.post(server.baseUrl() + path, body, all);
  }

  /** The whole events of a recorded Anthropic stream, as FakeResponse.rawEvents sends them. */
  static List<String> anthropicEvents(String file) {
    return Arrays.stream(FixtureFiles.text("anthropic/streams", file).split("\n\n"))
        .map(String::strip).filter(e -> !e.isEmpty()).toList();
  }

  /** The lines of a recorded OpenAI chunk stream, with the [DONE] an OpenAI upstream ends with. */
  static List<String> openAiChunks(String file) {
    List<String> chunks = new java.util.ArrayList<>(FixtureFiles.text("inbound/streams", file).lines()
        .filter(l -> !l.isBlank()).toList());
    chunks.add("[DONE]");
    return chunks;
  }
}
