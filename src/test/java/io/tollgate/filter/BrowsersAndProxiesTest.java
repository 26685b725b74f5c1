package io.tollgate.filter;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS from a configured list of origins, methods and headers; and X-Forwarded-For believed from a trusted proxy
 * only, walked from the nearest hop so a client cannot put an address of its choice in front.
 */
class BrowsersAndProxiesTest {
  private static final String ADMIN = "sk-admin-browsers";
  private static final String APP = "https://app.example.com";
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
  private static GatewayServer behindProxy;
  private static GatewayServer direct;
  private static String key;
  private static String directKey;

  @BeforeAll
  static void start() {
    behindProxy = GatewayServer.start(Map.of("TOLLGATE_ADMIN_KEY", ADMIN,
        "CORS_ALLOWED_ORIGINS", APP + ", http://localhost:3000",
        "CORS_ALLOWED_METHODS", "GET, POST", "TRUSTED_PROXIES", "127.0.0.1, ::1, 10.0.0.0/8"));
    direct = GatewayServer.start(Map.of("TOLLGATE_ADMIN_KEY", ADMIN, "CORS_ALLOWED_HEADERS", "*"));
    key = keyFor(behindProxy);
    directKey = keyFor(direct);
  }

  @AfterAll
  static void stop() {
    behindProxy.close();
    direct.close();
  }

  private static String keyFor(GatewayServer server) {
    HttpResponse<String> r = Http.post(server.baseUrl() + "/admin/keys",
        "{\"name\":\"office\",\"ip_allow\":[\"203.0.113.0/24\"]}", "Authorization", bearer(ADMIN));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).path("key").asText();
  }

  private static HttpResponse<String> preflight(GatewayServer server, String origin, String headers) {
    return Http.send(Http.builder(server.baseUrl() + "/v1/chat/completions", "Origin", origin,
            "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", headers)
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
  }

  @Test
  void onlyListedOriginsGetCorsHeaders() {
    HttpResponse<String> allowed = preflight(behindProxy, APP, "authorization, content-type");
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, POST");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization");
    assertThat(allowed.headers().allValues("Vary")).contains("Origin");

    HttpResponse<String> other = preflight(behindProxy, "https://evil.example", "authorization");
    assertThat(other.statusCode()).as("answered, before any key").isEqualTo(204);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(other.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();

    HttpResponse<String> chat = Http.post(behindProxy.baseUrl() + "/v1/chat/completions", CHAT, "Origin",
        "http://localhost:3000", "Authorization", bearer(key), "X-Forwarded-For", "203.0.113.5");
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
    HttpResponse<String> evil = Http.post(behindProxy.baseUrl() + "/v1/chat/completions", CHAT, "Origin",
        "https://evil.example", "Authorization", bearer(key), "X-Forwarded-For", "203.0.113.5");
    assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void anyHeaderEchoesWhatThePreflightAsksForAndNothingElse() {
    HttpResponse<String> r = preflight(direct, "https://anywhere.example", "authorization, x-custom-thing");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).contains("authorization, x-custom-thing");
    HttpResponse<String> odd = preflight(direct, "https://anywhere.example", "authorization, x y");
    assertThat(odd.headers().firstValue("Access-Control-Allow-Headers")).as("not a list of names").isEmpty();
  }

  @Test
  void theClientAddressComesFromATrustedProxysForwardedFor() {
    assertThat(chat(behindProxy, key, "203.0.113.5").statusCode()).isEqualTo(200);
    assertThat(chat(behindProxy, key, "10.1.2.3, 203.0.113.5, 10.9.9.9").statusCode())
        .as("trusted hops skipped from the right").isEqualTo(200);
    HttpResponse<String> spoofed = chat(behindProxy, key, "203.0.113.5, 198.51.100.7");
    assertThat(spoofed.statusCode()).as("a client's own X-Forwarded-For entry is not the client").isEqualTo(403);
    assertThat(json(spoofed).at("/error/message").asText()).contains("198.51.100.7");
    assertThat(chat(behindProxy, key, "[2001:db8::1]:4711").statusCode()).isEqualTo(403);
    HttpResponse<String> garbage = chat(behindProxy, key, "203.0.113.5, not-an-address");
    assertThat(garbage.statusCode()).isEqualTo(403);
    assertThat(json(garbage).at("/error/message").asText()).as("the peer stands").contains("127.0.0.1");
  }

  @Test
  void withoutTrustedProxiesForwardedForIsIgnored() {
    HttpResponse<String> r = chat(direct, directKey, "203.0.113.5");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).at("/error/message").asText()).contains("127.0.0.1");
  }

  @Test
  void generatedLinksUseTheSchemeAndHostTheClientUsed() {
    HttpResponse<String> proxied = Http.get(behindProxy.baseUrl() + "/openapi.json", "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "api.example.com", "X-Forwarded-For", "203.0.113.5");
    assertThat(json(proxied).at("/servers/0/url").asText()).isEqualTo("https://api.example.com");
    HttpResponse<String> port = Http.get(behindProxy.baseUrl() + "/openapi.json", "X-Forwarded-Proto", "http",
        "X-Forwarded-Host", "api.example.com:8443");
    assertThat(json(port).at("/servers/0/url").asText()).isEqualTo("http://api.example.com:8443");
    HttpResponse<String> odd = Http.get(behindProxy.baseUrl() + "/openapi.json", "X-Forwarded-Host",
        "evil.example/path", "X-Forwarded-Proto", "gopher");
    assertThat(json(odd).at("/servers/0/url").asText()).as("nonsense is ignored").isEqualTo(behindProxy.baseUrl());
    HttpResponse<String> ignored = Http.get(direct.baseUrl() + "/openapi.json", "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "api.example.com");
    assertThat(json(ignored).at("/servers/0/url").asText()).isEqualTo(direct.baseUrl());
  }

  private static HttpResponse<String> chat(GatewayServer server, String clientKey, String forwardedFor) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", CHAT, "Authorization", bearer(clientKey),
        "X-Forwarded-For", forwardedFor);
  }
}
