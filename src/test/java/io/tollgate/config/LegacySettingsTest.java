package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testing.CapturedLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An older proxy's .env file (TOLLGATE_ENV_FILE) and its names, through ConfigSources as the gateway reads them. */
class LegacySettingsTest {
  @TempDir
  Path dir;

  private Map<String, String> envFile(String text) throws IOException {
    Path file = dir.resolve("old-proxy.env");
    Files.writeString(file, text);
    return Map.of("TOLLGATE_ENV_FILE", file.toString());
  }

  private static GatewayConfig config(Map<String, String> context, Map<String, String> env,
      Map<String, String> properties) {
    return GatewayConfig.from(ConfigSources.merge(context, env, properties));
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new HashMap<>(a);
    all.putAll(b);
    return all;
  }

  @Test
  void theFileSitsBetweenContextParametersAndTheEnvironment() throws IOException {
    Map<String, String> file = envFile("""
        BASE_URL=http://file/v1
        CONNECT_TIMEOUT=11
        TIMEOUT=12
        RETRY_DELAY=13
        MAX_RETRIES=4
        """);
    GatewayConfig c = config(
        with(file, Map.of("UPSTREAM_BASE_URL", "http://context/v1", "CONNECT_TIMEOUT", "1", "MAX_BODY_BYTES", "99")),
        Map.of("READ_TIMEOUT", "22", "RETRY_DELAY", "23"),
        Map.of("tollgate.retry.delay", "33"));
    assertThat(c.maxBodyBytes()).as("context only").isEqualTo(99);
    assertThat(c.quickStart().baseUrl()).as("file over context").isEqualTo("http://file/v1");
    assertThat(c.upstream().connectTimeout()).as("file over context").isEqualTo(Duration.ofSeconds(11));
    assertThat(c.resilience().retryTimes()).as("file only").isEqualTo(4);
    assertThat(c.upstream().readTimeout()).as("environment over file").isEqualTo(Duration.ofSeconds(22));
    assertThat(c.resilience().retryDelay()).as("system properties over all").isEqualTo(Duration.ofSeconds(33));
  }

  @Test
  void theFileIsNamedFromAnySourceAndTheHighestWins() throws IOException {
    Map<String, String> file = envFile("BASE_URL=http://file/v1\n");
    Path other = dir.resolve("other.env");
    Files.writeString(other, "BASE_URL=http://other/v1\n");
    assertThat(config(Map.of(), file, Map.of()).quickStart().baseUrl()).isEqualTo("http://file/v1");
    assertThat(config(Map.of("TOLLGATE_ENV_FILE", other.toString()), file, Map.of()).quickStart().baseUrl())
        .isEqualTo("http://file/v1");
    assertThat(config(Map.of(), file, Map.of("tollgate.env.file", other.toString())).quickStart().baseUrl())
        .isEqualTo("http://other/v1");
  }

  @Test
  void genericNamesAreIgnoredBareOutsideTheFile() {
    Map<String, String> generic = Map.of("TYPE", "gemini", "API_KEY", "sk-someone-elses", "BASE_URL",
        "http://elsewhere/v1", "TIMEOUT", "7", "PORT", "9999");
    for (GatewayConfig c : new GatewayConfig[] {config(generic, Map.of(), Map.of()),
        config(Map.of(), generic, Map.of())}) {
      assertThat(c.quickStart().enabled()).isFalse();
      assertThat(c.upstream().readTimeout()).isEqualTo(Duration.ofSeconds(600));
    }
  }

  @Test
  void genericNamesCountWithTheTollgatePrefix() {
    GatewayConfig c = config(Map.of(), Map.of("TOLLGATE_BASE_URL", "http://up/v1", "TOLLGATE_API_KEY", "sk-up",
        "TOLLGATE_TYPE", "google", "TOLLGATE_TIMEOUT", "7"), Map.of("tollgate.max.retries", "5"));
    assertThat(c.quickStart().baseUrl()).isEqualTo("http://up/v1");
    assertThat(c.quickStart().apiKeys()).extracting(Secret::reveal).containsExactly("sk-up");
    assertThat(c.quickStart().type()).isEqualTo("gemini");
    assertThat(c.upstream().readTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.resilience().retryTimes()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource({"google, gemini", "azure_openai, azure", "custom, openai", "claude, anthropic", "GEMINI, gemini",
      "openai, openai", "azure, azure", "anthropic, anthropic"})
  void typeTakesTheOldValuesAndTollgatesOwn(String type, String expected) throws IOException {
    GatewayConfig c = config(envFile("BASE_URL=http://up/v1\nTYPE=" + type + "\n"), Map.of(), Map.of());
    assertThat(c.quickStart().type()).isEqualTo(expected);
  }

  @Test
  void anUnknownTypeNamesTheSettingAndTheFileNotTheValue() throws IOException {
    Map<String, String> file = envFile("BASE_URL=http://up/v1\nTYPE=sk-secret-looking\n");
    assertThatThrownBy(() -> config(file, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage("TYPE in " + file.get("TOLLGATE_ENV_FILE") + " must be one of anthropic, azure, azure_openai,"
            + " claude, custom, gemini, google, openai");
  }

  @Test
  void maxRetriesMeansRetryTimesAndTheTwoMustAgree() throws IOException {
    assertThat(config(Map.of(), Map.of("MAX_RETRIES", "0"), Map.of()).resilience().retryTimes()).isZero();
    assertThat(config(Map.of(), Map.of("MAX_RETRIES", "3", "RETRY_TIMES", " 3"), Map.of()).resilience()
        .retryTimes()).isEqualTo(3);
    assertThat(config(envFile("RETRY_TIMES=1\n"), Map.of("MAX_RETRIES", "6"), Map.of()).resilience().retryTimes())
        .as("in different places, the higher place wins").isEqualTo(6);
    assertThatThrownBy(() -> config(Map.of(), Map.of("MAX_RETRIES", "3", "RETRY_TIMES", "5"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("RETRY_TIMES and MAX_RETRIES are both set in the"
            + " environment, to different values; they mean the same setting (RETRY_TIMES), so keep one");
    Map<String, String> file = envFile("MAX_RETRIES=3\nRETRY_TIMES=5\n");
    assertThatThrownBy(() -> config(file, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("are both set in " + file.get("TOLLGATE_ENV_FILE"));
  }

  @Test
  void tokenPoolJoinsTheUpstreamKeyAndAvailableModelsListsTheQuickStartsModels() throws IOException {
    GatewayConfig c = config(envFile("""
        BASE_URL=http://up/v1
        API_KEY=sk-one
        TOKEN_POOL="sk-two
        sk-three, sk-one"
        AVAILABLE_MODELS=["deepseek-chat","deepseek-reasoner","ds-*"]
        """), Map.of(), Map.of());
    assertThat(c.quickStart().apiKeys()).extracting(Secret::reveal).containsExactly("sk-one", "sk-two", "sk-three");
    assertThat(c.quickStart().models()).containsExactly("deepseek-chat", "deepseek-reasoner", "ds-*");
    GatewayConfig json = config(Map.of(), Map.of("UPSTREAM_BASE_URL", "http://up/v1",
        "TOKEN_POOL", "[\"sk-a\",\"sk-b\"]", "AVAILABLE_MODELS", "m1,m2"), Map.of());
    assertThat(json.quickStart().apiKeys()).extracting(Secret::reveal).containsExactly("sk-a", "sk-b");
    assertThat(json.quickStart().models()).containsExactly("m1", "m2");
  }

  @Test
  void tokenPoolAndAvailableModelsNeedTheQuickStart() {
    assertThatThrownBy(() -> config(Map.of(), Map.of("TOKEN_POOL", "sk-a,sk-b"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("TOKEN_POOL and AVAILABLE_MODELS are for");
    assertThatThrownBy(() -> config(Map.of(), Map.of("UPSTREAM_BASE_URL", "http://up/v1", "TOKEN_POOL",
        "[\"sk-a\", 5"), Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage("TOKEN_POOL must be a JSON array of strings or a list separated by commas or lines");
  }

  @Test
  void useDatabaseAuthTrueRequiresClientKeysAndFalseOpensNothing() throws IOException {
    assertThat(config(with(envFile("USE_DATABASE_AUTH=true\n"), Map.of("REQUIRE_API_KEY", "false")), Map.of(),
        Map.of()).requireApiKey()).as("the file over a context parameter").isTrue();
    assertThat(config(envFile("USE_DATABASE_AUTH=false\nAPI_KEYS=sk-static\n"), Map.of(), Map.of())
        .requireApiKey()).isTrue();
    assertThat(config(Map.of(), Map.of("USE_DATABASE_AUTH", "false"), Map.of()).requireApiKey()).isTrue();
    assertThatThrownBy(() -> config(Map.of(), Map.of("USE_DATABASE_AUTH", "yes", "REQUIRE_API_KEY", "off"),
        Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("REQUIRE_API_KEY and USE_DATABASE_AUTH");
  }

  @Test
  void settingsOfOtherEngineersArriveFromTheFileByTheirOwnNames() throws IOException {
    Map<String, String> merged = ConfigSources.merge(envFile("""
        MAX_KEEPALIVE=50
        MASK_AS_BROWSER=true
        CONVERSATION_API_URL=http://free/backend-api/conversation
        """), Map.of(), Map.of());
    assertThat(merged).containsEntry("MAX_KEEPALIVE", "50").containsEntry("MASK_AS_BROWSER", "true")
        .containsEntry("CONVERSATION_API_URL", "http://free/backend-api/conversation");
  }

  @Test
  void noValueFromTheFileAppearsInAnErrorOrTheLog() throws IOException {
    for (String line : new String[] {"TIMEOUT=sk-secret-1", "USE_DATABASE_AUTH=sk-secret-1",
        "MAX_RETRIES=sk-secret-1", "REQUIRE_API_KEY=sk-secret-1"}) {
      Map<String, String> file = envFile(line + "\n");
      assertThatThrownBy(() -> config(file, Map.of(), Map.of())).as(line).isInstanceOf(ConfigException.class)
          .message().doesNotContain("secret");
    }
    try (CapturedLogs logs = CapturedLogs.attach("io.tollgate.config")) {
      config(envFile("""
          DEEPSEEK_API_KEY=sk-secret-2
          DATABASE_PATH=data/secret-3.db
          PORT=8000
          BASE_URL=http://up/v1
          """), Map.of(), Map.of());
      assertThat(logs.lines()).extracting(CapturedLogs.Line::message)
          .anySatisfy(m -> assertThat(m).contains("not used: DATABASE_PATH, DEEPSEEK_API_KEY"))
          .anySatisfy(m -> assertThat(m).contains("PORT is not used", "-Dtollgate.port="))
          .allSatisfy(m -> assertThat(m).doesNotContain("secret", "8000", "http://up"));
    }
  }
}
