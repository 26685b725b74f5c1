package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.CountingProxy;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.TestCertificates;
import io.tollgate.testing.TlsUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Providers over TLS to a Jetty upstream with a self-signed certificate: HTTP/2 by ALPN when trusted through
 * {@code trust_store}, HTTP/1.1 with {@code http2: false}, a JSON 502 when the certificate is not trusted, client
 * certificates for an upstream that requires them, and a proxy's CONNECT tunnel.
 */
class TlsUpstreamTest {
  private static final String KEY = "sk-tollgate-tls-test";
  private static TlsUpstream tls;
  private static TlsUpstream mtls;
  private static CountingProxy proxy;
  private static GatewayServer server;

  @BeforeAll
  static void startAll() throws Exception {
    Path dir = Files.createTempDirectory("tollgate-tls");
    TestCertificates certs = TestCertificates.make(dir);
    tls = TlsUpstream.start(certs, false);
    mtls = TlsUpstream.start(certs, true);
    proxy = CountingProxy.start();
    Path yaml = dir.resolve("tollgate.yaml");
    Files.writeString(yaml, """
        providers:
          - {name: h2, type: openai, base_url: %1$s, api_key: k, options: {trust_store: %3$s}}
          - {name: h1, type: openai, base_url: %1$s, api_key: k, options: {trust_store: %3$s, http2: false}}
          - {name: untrusted, type: openai, base_url: %1$s, api_key: k}
          - name: with-cert
            type: openai
            base_url: %2$s
            api_key: k
            options: {trust_store: %3$s, client_cert: %4$s, client_cert_password: %5$s}
          - {name: without-cert, type: openai, base_url: %2$s, api_key: k, options: {trust_store: %3$s}}
          - name: tunnelled
            type: openai
            base_url: %1$s
            api_key: k
            options: {trust_store: %3$s, proxy: "http://tun:secret@127.0.0.1:%6$d"}
        models:
          - {name: h2, targets: [{provider: h2}]}
          - {name: h1, targets: [{provider: h1}]}
          - {name: untrusted, targets: [{provider: untrusted}]}
          - {name: with-cert, targets: [{provider: with-cert}]}
          - {name: without-cert, targets: [{provider: without-cert}]}
          - {name: tunnelled, targets: [{provider: tunnelled}]}
        clients: [{name: tls-tests, key: %7$s}]
        """.formatted(tls.baseUrl(), mtls.baseUrl(), certs.serverPem(), certs.clientKeyStore(), certs.password(),
        proxy.port(), KEY));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "READ_TIMEOUT", "5",
        "CONNECT_TIMEOUT", "5"));
  }

  @AfterAll
  static void stopAll() throws Exception {
    server.close();
    tls.close();
    mtls.close();
    proxy.close();
  }

  @Test
  void trustedUpstreamAnswersOverHttp2() {
    tls.takeProtocols();
    assertThat(content(chat("h2"))).isEqualTo(TlsUpstream.CONTENT);
    assertThat(StreamedChat.post(server.baseUrl() + "/v1/chat/completions", body("h2", true),
        "Authorization", bearer(KEY)).text()).isEqualTo(TlsUpstream.CONTENT);
    assertThat(tls.takeProtocols()).containsExactly("HTTP/2.0", "HTTP/2.0");
  }

  @Test
  void http2OffGivesHttp11() {
    tls.takeProtocols();
    assertThat(content(chat("h1"))).isEqualTo(TlsUpstream.CONTENT);
    assertThat(tls.takeProtocols()).containsExactly("HTTP/1.1");
  }

  @Test
  void untrustedCertificateIsAJson502() {
    tls.takeProtocols();
    HttpResponse<String> response = chat("untrusted");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(Http.json(response).at("/error/message").asText())
        .isEqualTo("The secure (TLS) connection to the upstream provider 'untrusted' failed.");
    assertThat(tls.takeProtocols()).isEmpty();
  }

  @Test
  void clientCertificateOpensAnUpstreamThatRequiresOne() {
    mtls.takeProtocols();
    assertThat(content(chat("with-cert"))).isEqualTo(TlsUpstream.CONTENT);
    assertThat(mtls.takeProtocols()).containsExactly("HTTP/2.0");
    HttpResponse<String> refused = chat("without-cert");
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(Http.json(refused).at("/error/type").asText()).isNotBlank();
    assertThat(mtls.takeProtocols()).isEmpty();
  }

  @Test
  void proxyOptionTunnelsWithItsCredentials() {
    proxy.takeForwarded();
    assertThat(content(chat("tunnelled"))).isEqualTo(TlsUpstream.CONTENT);
    List<String> forwarded = proxy.takeForwarded();
    // "tun:secret" in Basic form; the credentials go to the proxy only, in the CONNECT.
    assertThat(forwarded).containsExactly("CONNECT 127.0.0.1:" + tls.baseUrl().split(":")[2].split("/")[0]
        + " [Basic dHVuOnNlY3JldA==]");
  }

  private static HttpResponse<String> chat(String model) {
    return Http.post(server.baseUrl() + "/v1/chat/completions", body(model, false), "Authorization", bearer(KEY));
  }

  private static String body(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static String content(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode json = Http.json(response);
    return json.at("/choices/0/message/content").asText();
  }
}
