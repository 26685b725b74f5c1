package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.BootstrapFile.ProviderEntry;
import io.tollgate.config.BootstrapFile.TargetEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootstrapFileTest {
  @TempDir
  Path dir;

  @Test
  void readsTheDocumentedShape() throws IOException {
    BootstrapFile file = read("""
        providers:
          - name: main
            type: openai
            base_url: https://api.deepseek.com/v1/
            api_keys: [sk-upstream-1, sk-upstream-2]
            strip_sk_prefix: true
          - name: echo
            type: Echo
          - name: single
            type: anthropic
            base_url: http://localhost:9000
            api_key: sk-ant-1
            passthrough: true
        models:
          - name: deepseek-chat
            targets: [{provider: main, model: deepseek-chat-v3}, {provider: echo}]
        clients:
          - name: ci
            key: sk-tollgate-example-1
        """, Map.of());

    assertThat(file.providers()).containsExactly(
        new ProviderEntry("main", "openai", "https://api.deepseek.com/v1",
            List.of(Secret.of("sk-upstream-1"), Secret.of("sk-upstream-2")), false, true),
        new ProviderEntry("echo", "echo", null, List.of(), false, false),
        new ProviderEntry("single", "anthropic", "http://localhost:9000", List.of(Secret.of("sk-ant-1")), true,
            false));
    assertThat(file.models()).singleElement().satisfies(m -> assertThat(m.targets()).containsExactly(
        new TargetEntry("main", "deepseek-chat-v3"), new TargetEntry("echo", "deepseek-chat")));
    assertThat(file.clients()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("ci");
      assertThat(c.key().reveal()).isEqualTo("sk-tollgate-example-1");
    });
    assertThat(file.toString()).doesNotContain("sk-upstream", "sk-ant-1", "sk-tollgate-example");
  }

  @Test
  void substitutesEnvironmentVariables() throws IOException {
    BootstrapFile file = read("""
        providers:
          - name: main
            type: openai
            base_url: ${UPSTREAM_URL}/v1
            api_keys: ["${KEY_A}", "pre-${KEY_B}-post"]
            passthrough: ${PASSTHROUGH:-false}
        clients:
          - name: ci
            key: ${CI_KEY:-sk-default-client}
        """, Map.of("UPSTREAM_URL", "https://up.example.com", "KEY_A", "sk-a", "KEY_B", "b", "PASSTHROUGH", ""));

    ProviderEntry main = file.providers().get(0);
    assertThat(main.baseUrl()).isEqualTo("https://up.example.com/v1");
    assertThat(main.apiKeys()).extracting(Secret::reveal).containsExactly("sk-a", "pre-b-post");
    assertThat(main.passthrough()).isFalse();
    assertThat(file.clients().get(0).key().reveal()).isEqualTo("sk-default-client");
  }

  @Test
  void readsOptionsAndTheirShorthands() throws IOException {
    BootstrapFile file = read("""
        providers:
          - name: az
            type: azure
            base_url: https://my-resource.openai.azure.com
            api_key: k
            api_version: 2024-10-21
            options: {region: "${REGION}", retries: 3, beta: true, empty: ""}
          - name: claude
            type: anthropic
            base_url: https://api.anthropic.com
            anthropic_version: "2023-06-01"
          - name: plain
            type: echo
        """, Map.of("REGION", "westeurope"));

    assertThat(file.providers().get(0).options()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "api_version", "2024-10-21", "region", "westeurope", "retries", "3", "beta", "true"));
    assertThat(file.providers().get(1).options()).isEqualTo(Map.of("anthropic_version", "2023-06-01"));
    assertThat(file.providers().get(2).options()).isEmpty();
  }

  @Test
  void aSingleEntryIsCheckedByTheSameRulesWithoutFileOrSubstitution() throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    ProviderEntry p = BootstrapFile.provider(json.readTree("""
        {"name": "az", "type": "Azure", "base_url": "https://x.example/", "api_keys": ["${NOT_EXPANDED}"],
         "api_version": "2024-10-21"}"""));
    assertThat(p).isEqualTo(new ProviderEntry("az", "azure", "https://x.example",
        List.of(Secret.of("${NOT_EXPANDED}")), false, false, Map.of("api_version", "2024-10-21")));
    assertThatThrownBy(() -> BootstrapFile.provider(json.readTree("{\"name\": \"a\", \"type\": \"openai\"}")))
        .isInstanceOf(ConfigException.class).hasMessage("base_url is required for type openai");
    assertThatThrownBy(() -> BootstrapFile.model(json.readTree("{\"name\": \"m\", \"targets\": [{}]}")))
        .isInstanceOf(ConfigException.class).hasMessage("targets[0].provider is required");
    assertThatThrownBy(() -> BootstrapFile.model(json.readTree("[]")))
        .isInstanceOf(ConfigException.class).hasMessage("the body must be a JSON object");
  }

  @Test
  void emptyFileMeansNothingToImport() throws IOException {
    BootstrapFile file = read("", Map.of());
    assertThat(file.providers()).isEmpty();
    assertThat(file.models()).isEmpty();
    assertThat(file.clients()).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      routes: []                                                                   | unknown key 'routes'
      providers: [{name: a, type: openai, base_url: 'http://a'}, {name: b, type: bedrock}] | providers[1].type must be one of openai, echo, azure, anthropic, gemini
      providers: [{type: echo}]                                                    | providers[0].name is required
      providers: [{name: a, type: echo}, {name: a, type: echo}]                    | providers[1].name 'a' is already used by providers[0]
      providers: [{name: a, type: openai}]                                         | providers[0].base_url is required for type openai
      providers: [{name: a, type: openai, base_url: 'ftp://x'}]                    | providers[0].base_url must be an http:// or https:// URL
      providers: [{name: a, type: echo, api_key: k, api_keys: [k]}]                | providers[0].api_key and api_keys are both set; use one
      providers: [{name: a, type: azure, base_url: 'https://x', options: [v1]}]    | providers[0].options must be a mapping of names to single values
      providers: [{name: a, type: azure, base_url: 'https://x', options: {api_version: {a: 1}}}] | providers[0].options.api_version must be a single value
      providers: [{name: a, type: azure, base_url: 'https://x', api_version: v, options: {api_version: v}}] | providers[0].api_version is also set under options; use one
      providers: [{name: a, type: azure, base_url: 'https://x', api_versions: v}]  | providers[0] has unknown key 'api_versions'
      providers: [{name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, type: echo}] | providers[0].name is longer than 100 characters
      providers: [{name: a, type: echo, baseurl: 'http://x'}]                      | providers[0] has unknown key 'baseurl'
      providers: [{name: a/b, type: echo}]                                         | providers[0].name must not contain '/'
      providers: [{name: a, type: openai, base_url: 'http://a/v1?key=x'}]          | providers[0].base_url must not have a query (?) or fragment (#)
      providers: [{name: a, type: openai, base_url: 'http://a_b/v1'}]              | providers[0].base_url must be an http:// or https:// URL with a host
      clients: [{name: "ci\tbot", key: k}]                                        | clients[0].name must not contain control characters
      providers: [{name: a, type: echo, passthrough: maybe}]                       | providers[0].passthrough must be true or false
      models: [{name: m, targets: [{provider: nowhere}]}]                          | models[0].targets[0].provider 'nowhere' is not one of the providers in this file
      models: [{name: m}]                                                          | models[0].targets must be a list
      clients: [{name: a, key: k1}, {name: b, key: k1}]                            | clients[1].key is the same key as clients[0].key
      clients: [{name: a}]                                                         | clients[0].key is required
      clients: [{name: a, key: k, rpm: -1}]                                        | clients[0].rpm must be a non-negative integer or null
      clients: [{name: a, key: k, ip_allow: [nowhere]}]                            | clients[0].ip_allow[0] 'nowhere' is not an IPv4 or IPv6 address or CIDR range
      clients: [{name: a, key: k, colour: red}]                                    | clients[0] has unknown key 'colour'
      clients: [{name: a, key: k, user: [x]}]                                      | clients[0].user must be the name of a user
      clients: [{name: a, key: '${NOT_SET_ANYWHERE}'}]                             | clients[0].key uses ${NOT_SET_ANYWHERE}, which is not set
      providers: oops                                                              | providers must be a list
      '- just a list'                                                              | the top level must be a mapping
      """)
  void rejectsWithAMessageNamingFileAndItem(String yaml, String message) throws IOException {
    Path file = write(yaml.startsWith("'") ? yaml.substring(1, yaml.length() - 1) : yaml);
    assertThatThrownBy(() -> BootstrapFile.read(file, Map.<String, String>of()::get))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void syntaxErrorsGiveThePlaceButNotTheLine() throws IOException {
    Path file = write("clients:\n  - name: a\n    key: sk-secret-value: oops\n");
    assertThatThrownBy(() -> BootstrapFile.read(file, Map.<String, String>of()::get))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML at line 3")
        .hasMessageNotContaining("sk-secret-value");
  }

  @Test
  void missingFileIsAConfigError() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> BootstrapFile.read(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": cannot be read (NoSuchFileException)");
  }

  private BootstrapFile read(String yaml, Map<String, String> env) throws IOException {
    return BootstrapFile.read(write(yaml), env::get);
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "tollgate", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
