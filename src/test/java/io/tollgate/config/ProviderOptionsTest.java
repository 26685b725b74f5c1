package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.upstream.ConnectionSettings;
import io.tollgate.upstream.UpstreamLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderOptionsTest {
  @TempDir
  Path dir;

  @Test
  void readsConnectionSettingsHeadersAndPrelude() {
    UpstreamLink link = ProviderOptions.link("p", Map.of("max_connections", "8", "keep_alive", "off",
        "max_keepalive", "2", "connect_timeout", "500ms", "http2", "false", "h2c", "true",
        "header.X-Team", "blue", "mask_as_browser", "yes", "conversation_url", "https://chat.example/api/c",
        "conversation_id_path", "data.id"));
    ConnectionSettings c = link.connection();
    assertThat(c.maxConnections()).isEqualTo(8);
    assertThat(c.keepAlive()).isZero();
    assertThat(c.maxKeepAlive()).isEqualTo(2);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.http2()).isFalse();
    assertThat(c.h2c()).isTrue();
    assertThat(link.headers()).containsExactly(Map.entry("X-Team", "blue"));
    assertThat(link.browser().enabled()).isTrue();
    assertThat(link.prelude().idPath()).containsExactly("data", "id");
  }

  @Test
  void keepAliveOffUnquotedInYamlMeansNoKeepAlive() {
    // YAML 1.1 reads an unquoted `keep_alive: off` as a boolean, which reaches the options as "false".
    assertThat(ProviderOptions.link("p", Map.of("keep_alive", "false")).connection().keepAlive()).isZero();
  }

  @Test
  void noOptionsShareTheDefaultClient() {
    assertThat(ProviderOptions.link("p", Map.of("api_version", "x")).connection())
        .isSameAs(ConnectionSettings.DEFAULT);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "max_connections: 0                       | providers[0].options.max_connections must be a whole number",
      "keep_alive: soon                         | providers[0].options.keep_alive must be a duration",
      "connect_timeout: 0                       | providers[0].options.connect_timeout must be more than zero",
      "http2: maybe                             | providers[0].options.http2 must be true or false",
      "proxy: 'socks5://127.0.0.1:1080'         | providers[0].options.proxy must be a proxy URL",
      "trust_store: /no/such/file.pem           | providers[0].options.trust_store is not a readable file",
      "client_cert_password: x                  | providers[0].options.client_cert_password is set without client_cert",
      "'header.Bad Name': x                     | providers[0].options.header.Bad Name: the header name must be an HTTP token",
      "header.Host: x                           | providers[0].options.header.Host: the header Host is set by the gateway",
      "header.X-Id: '{conversation_id}'         | providers[0].options.header.X-Id uses {conversation_id}, which needs the conversation_url option",
      "conversation_body: '{}'                  | providers[0].options.conversation_body is set without conversation_url",
      "conversation_url: 'ftp://x/'             | providers[0].options.conversation_url must be an http:// or https:// URL",
      "responses_api: maybe                     | providers[0].options.responses_api must be true or false",
  })
  void badOptionsAreRefusedByName(String option, String message) throws IOException {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "providers:\n  - name: p\n    type: openai\n    base_url: http://h/v1\n"
        + "    options: {" + option + "}\n");
    assertThatThrownBy(() -> BootstrapFile.read(file, Map.<String, String>of()::get))
        .isInstanceOf(ConfigException.class).hasMessageContaining(message);
  }

  @Test
  void badTrustStoreContentsAndControlCharactersAreRefused() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.p12"), "not a key store");
    assertThatThrownBy(() -> ProviderOptions.check("p", "openai", Map.of("trust_store", junk.toString()), ""))
        .hasMessageContaining("options.trust_store cannot be read as a PKCS12 or JKS key store");
    assertThatThrownBy(() -> ProviderOptions.check("p", "openai", Map.of("header.X-A", "a\u0001b"), ""))
        .hasMessage("options.header.X-A must not contain control characters");
  }

  @Test
  void responsesApiIsReadAndOnlyForProvidersThatCanServeIt() throws IOException {
    assertThat(ProviderOptions.responsesApi(Map.of())).isFalse();
    assertThat(ProviderOptions.responsesApi(Map.of("responses_api", "true"))).isTrue();
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "providers:\n  - {name: p, type: azure, base_url: 'https://a.example', "
        + "options: {responses_api: true}}\n  - {name: q, type: anthropic, base_url: 'https://b.example', "
        + "options: {responses_api: true}}\n");
    assertThatThrownBy(() -> BootstrapFile.read(file, Map.<String, String>of()::get))
        .hasMessageContaining("providers[1].options.responses_api is for providers of type openai and azure");
  }

  @Test
  void placeholderInTheBaseUrlNeedsAConversation() throws IOException {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "providers:\n  - {name: p, type: openai, base_url: 'http://h/c/{conversation_id}'}\n");
    assertThatThrownBy(() -> BootstrapFile.read(file, Map.<String, String>of()::get))
        .hasMessageContaining("providers[0].base_url uses {conversation_id}, which needs the conversation_url");
  }

  @Test
  void globalSettingsAreRead() {
    GatewayConfig config = GatewayConfig.from(Map.of("MAX_KEEPALIVE", "4", "MASK_AS_BROWSER", "true",
        "CONVERSATION_API_URL", "https://chat.example/api/c", "HTTPS_PROXY", "proxy.corp:3128",
        "NO_PROXY", "localhost,.corp"));
    assertThat(config.upstream().maxKeepAlive()).isEqualTo(4);
    assertThat(config.upstream().maskAsBrowser()).isTrue();
    assertThat(config.upstream().quickStartOptions()).containsEntry("conversation_url", "https://chat.example/api/c");
    assertThat(config.upstream().httpsProxy().host()).isEqualTo("proxy.corp");
    assertThat(config.upstream().httpsProxy().port()).isEqualTo(3128);
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("HTTP_PROXY", "socks://x:1")))
        .hasMessageStartingWith("HTTP_PROXY must be a proxy URL");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("MAX_KEEPALIVE", "-1")))
        .hasMessageStartingWith("MAX_KEEPALIVE must be a whole number");
  }
}
