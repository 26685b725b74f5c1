package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.CountingProxy;
import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.FakeUpstream.RecordedRequest;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a provider's options put on the wire to a plain-HTTP upstream: browser masking and custom headers (masked
 * in the admin view), the environment's proxy with NO_PROXY and a provider's opt-out, and the conversation opened
 * before each chat.
 */
class UpstreamHeadersTest {
  private static final String KEY = "sk-tollgate-headers-test";
  private static final String ADMIN = "admin-key-for-headers-tests";
  private static final String COOKIE = "session=very-secret-cookie-value-1234";
  private static FakeUpstream upstream;
  private static CountingProxy proxy;
  private static GatewayServer server;

  @BeforeAll
  static void startAll() throws Exception {
    upstream = FakeUpstream.start();
    proxy = CountingProxy.start();
    String local = "http://127.0.0.1:" + upstream.port() + "/v1";
    String named = "http://localhost:" + upstream.port() + "/v1";
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: masked
            type: openai
            base_url: %1$s
            api_key: sk-upstream-masked
            options:
              mask_as_browser: true
              headers: {Cookie: "%3$s", Authorization: "Bearer not-the-credential"}
              header.X-Team: blue
          - {name: proxied, type: openai, base_url: %2$s, api_key: k}
          - {name: opted-out, type: openai, base_url: %2$s, api_key: k, options: {proxy: none}}
          - {name: bypassed, type: openai, base_url: %1$s, api_key: k}
          - name: chatty
            type: openai
            base_url: "http://127.0.0.1:%4$d/v1/c/{conversation_id}"
            api_key: sk-upstream-chatty
            options:
              conversation_url: "http://127.0.0.1:%4$d/api/conversations"
              conversation_body: '{"title":"gateway"}'
              conversation_headers: {X-Prelude: first}
              conversation_id_path: data.conversation_id
              conversation_id_field: metadata.conversation
              referer: "https://chat.example/chat/{conversation_id}"
          - name: broken
            type: openai
            base_url: "http://127.0.0.1:%4$d/v1/c/{conversation_id}"
            api_key: k
            options: {conversation_url: "http://127.0.0.1:9/api/conversations"}
        models:
          - {name: masked, targets: [{provider: masked}]}
          - {name: proxied, targets: [{provider: proxied}]}
          - {name: opted-out, targets: [{provider: opted-out}]}
          - {name: bypassed, targets: [{provider: bypassed}]}
          - {name: chatty, targets: [{provider: chatty}]}
          - {name: broken, targets: [{provider: broken}]}
        clients: [{name: headers-tests, key: %5$s}]
        """.formatted(local, named, COOKIE, upstream.port(), KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "TOLLGATE_ADMIN_KEY", ADMIN,
        "READ_TIMEOUT", "5", "CONNECT_TIMEOUT", "2", "HTTP_PROXY", "http://127.0.0.1:" + proxy.port(),
        "NO_PROXY", "example.org, 127.0.0.1", "RETRY_TIMES", "0"));
  }

  @AfterAll
  static void stopAll() throws Exception {
    server.close();
    upstream.close();
    proxy.close();
  }

  @BeforeEach
  void forget() {
    upstream.reset();
    proxy.takeForwarded();
  }

  @Test
  void maskedProviderLooksLikeABrowserAndKeepsItsCredential() {
    assertThat(chat("masked", false).statusCode()).isEqualTo(200);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.header("user-agent")).contains("Chrome/").startsWith("Mozilla/5.0");
    assertThat(sent.header("accept-language")).startsWith("en-US");
    assertThat(sent.header("origin")).isEqualTo("http://127.0.0.1:" + upstream.port());
    assertThat(sent.header("referer")).isEqualTo("http://127.0.0.1:" + upstream.port() + "/");
    assertThat(sent.header("cookie")).isEqualTo(COOKIE);
    assertThat(sent.header("x-team")).isEqualTo("blue");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-upstream-masked");
  }

  @Test
  void adminViewMasksHeaderValues() {
    HttpResponse<String> view = Http.get(server.baseUrl() + "/admin/providers/masked", "Authorization",
        bearer(ADMIN));
    assertThat(view.statusCode()).isEqualTo(200);
    assertThat(view.body()).doesNotContain("very-secret-cookie").doesNotContain("not-the-credential");
    JsonNode options = Http.json(view).get("options");
    assertThat(options.get("header.Cookie").asText()).isEqualTo("ses…1234");
    assertThat(options.get("mask_as_browser").asText()).isEqualTo("true");
  }

  @Test
  void environmentProxyCarriesCallsExceptNoProxyHostsAndOptOuts() {
    assertThat(chat("proxied", false).statusCode()).isEqualTo(200);
    assertThat(proxy.takeForwarded()).containsExactly("POST http://localhost:" + upstream.port()
        + "/v1/chat/completions");
    assertThat(chat("opted-out", false).statusCode()).isEqualTo(200);
    assertThat(chat("bypassed", false).statusCode()).isEqualTo(200);
    assertThat(proxy.takeForwarded()).isEmpty();
    assertThat(upstream.requestCount()).isEqualTo(3);
  }

  @Test
  void conversationIsOpenedBeforeEachChat() {
    upstream.enqueue(FakeResponse.json(200, "{\"data\":{\"conversation_id\":\"c-41\"}}"));
    assertThat(chat("chatty", false).statusCode()).isEqualTo(200);
    RecordedRequest opening = upstream.takeRequest();
    assertThat(opening.method() + " " + opening.path()).isEqualTo("POST /api/conversations");
    assertThat(opening.json().get("title").asText()).isEqualTo("gateway");
    assertThat(opening.header("x-prelude")).isEqualTo("first");
    assertThat(opening.header("authorization")).isEqualTo("Bearer sk-upstream-chatty");
    RecordedRequest chat = upstream.takeRequest();
    assertThat(chat.path()).isEqualTo("/v1/c/c-41/chat/completions");
    assertThat(chat.json().at("/metadata/conversation").asText()).isEqualTo("c-41");
    assertThat(chat.header("referer")).isEqualTo("https://chat.example/chat/c-41");

    upstream.enqueue(FakeResponse.json(200, "{\"data\":{\"conversation_id\":\"c-42\"}}"));
    StreamedChat streamed = StreamedChat.post(server.baseUrl() + "/v1/chat/completions", body("chatty", true),
        "Authorization", bearer(KEY));
    assertThat(streamed.text()).isNotEmpty();
    assertThat(upstream.takeRequest().path()).isEqualTo("/api/conversations");
    assertThat(upstream.takeRequest().path()).isEqualTo("/v1/c/c-42/chat/completions");
  }

  @Test
  void failedConversationIsAJsonError() {
    HttpResponse<String> unreachable = chat("broken", false);
    assertThat(unreachable.statusCode()).isEqualTo(502);
    assertThat(Http.json(unreachable).at("/error/message").asText()).contains("'broken'");
    HttpResponse<String> unreachableStream = chat("broken", true);
    assertThat(unreachableStream.statusCode()).isEqualTo(502);
    assertThat(Http.json(unreachableStream).at("/error/type").asText()).isNotBlank();
    assertThat(upstream.requestCount()).isZero();

    upstream.enqueue(FakeResponse.json(200, "{\"data\":{}}"));
    HttpResponse<String> noId = chat("chatty", false);
    assertThat(noId.statusCode()).isEqualTo(502);
    assertThat(Http.json(noId).at("/error/message").asText()).contains("data.conversation_id");

    upstream.enqueue(FakeResponse.json(503, "{\"error\":{\"message\":\"no conversations today\"}}"));
    HttpResponse<String> refused = chat("chatty", false);
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(Http.json(refused).at("/error/message").asText()).contains("no conversations today");
  }

  @Test
  void adminApiRefusesBadOptionsByName() {
    HttpResponse<String> bad = Http.post(server.baseUrl() + "/admin/providers", "{\"name\":\"bad\",\"type\":"
        + "\"openai\",\"base_url\":\"http://h/v1\",\"options\":{\"proxy\":\"socks5://h:1\"}}",
        "Authorization", bearer(ADMIN));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Http.json(bad).at("/error/message").asText()).startsWith("options.proxy must be a proxy URL");
    HttpResponse<String> header = Http.post(server.baseUrl() + "/admin/providers", "{\"name\":\"bad\",\"type\":"
        + "\"openai\",\"base_url\":\"http://h/v1\",\"options\":{\"headers\":{\"X-A\":\"{conversation_id}\"}}}",
        "Authorization", bearer(ADMIN));
    assertThat(header.statusCode()).isEqualTo(400);
    assertThat(Http.json(header).at("/error/message").asText()).contains("options.header.X-A uses {conversation_id}");
  }

  private static HttpResponse<String> chat(String model, boolean stream) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", body(model, stream), "Authorization", bearer(KEY));
  }

  private static String body(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }
}
