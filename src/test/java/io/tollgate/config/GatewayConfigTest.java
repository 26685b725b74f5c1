package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void defaultsNeedNothing() {
    GatewayConfig c = GatewayConfig.from(Map.of());
    assertThat(c.db().url()).isNull();
    assertThat(c.db().jndiName()).isEqualTo("java:comp/env/jdbc/tollgate");
    assertThat(c.requireApiKey()).isTrue();
    assertThat(c.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(c.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.upstream().readTimeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(c.quickStart().enabled()).isFalse();
    assertThat(c.keyCacheStale()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void uploadsHaveTheirOwnLimitAndDirectory() {
    GatewayConfig defaults = GatewayConfig.from(Map.of());
    assertThat(defaults.uploads().maxBytes()).as("OpenAI's limit for audio").isEqualTo(25L * 1024 * 1024);
    assertThat(defaults.uploads().dir()).as("the container's temporary directory, found at start").isNull();
    GatewayConfig set = GatewayConfig.from(Map.of("MAX_UPLOAD_BYTES", "1000", "UPLOAD_DIR", "/var/tmp/up"));
    assertThat(set.uploads().maxBytes()).isEqualTo(1000);
    assertThat(set.uploads().dir()).hasToString("/var/tmp/up");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("MAX_UPLOAD_BYTES", "0")))
        .hasMessageContaining("MAX_UPLOAD_BYTES");
  }

  @Test
  void keyCacheStaleTakesADurationAndZeroTurnsItOff() {
    assertThat(GatewayConfig.from(Map.of("KEY_CACHE_STALE", "10m")).keyCacheStale()).isEqualTo(Duration.ofMinutes(10));
    assertThat(GatewayConfig.from(Map.of("KEY_CACHE_STALE", "0")).keyCacheStale()).isZero();
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("KEY_CACHE_STALE", "-1")))
        .hasMessageContaining("KEY_CACHE_STALE");
  }

  @Test
  void systemPropertiesBeatEnvironmentWhichBeatsContextParameters() {
    Map<String, String> merged = ConfigSources.merge(
        Map.of("TOLLGATE_DB_URL", "jdbc:h2:mem:ctx", "READ_TIMEOUT", "30", "MAX_BODY_BYTES", "100"),
        Map.of("TOLLGATE_DB_URL", "jdbc:h2:mem:env", "READ_TIMEOUT", "40", "PATH", "/usr/bin"),
        Map.of("tollgate.db.url", "jdbc:h2:mem:sys", "tollgate.require.api.key", "false", "java.version", "17"));
    GatewayConfig c = GatewayConfig.from(merged);
    assertThat(c.db().url()).isEqualTo("jdbc:h2:mem:sys");
    assertThat(c.upstream().readTimeout()).isEqualTo(Duration.ofSeconds(40));
    assertThat(c.maxBodyBytes()).isEqualTo(100);
    assertThat(c.requireApiKey()).isFalse();
  }

  @Test
  void anEmptyPasswordIsAValueNotAnError() {
    GatewayConfig c = GatewayConfig.from(Map.of("TOLLGATE_DB_URL", "jdbc:postgresql://h/db",
        "TOLLGATE_DB_PASSWORD", "", "CONNECT_TIMEOUT", ""));
    assertThat(c.db().password().reveal()).isEmpty();
    assertThat(c.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void durationsAreSecondsUnlessTheySayOtherwise() {
    assertThat(Settings.parseDuration("X", "2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Settings.parseDuration("X", "1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Settings.parseDuration("X", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Settings.parseDuration("X", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Settings.parseDuration("X", "PT3S")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("TOLLGATE_DB_URL", "postgres://x")))
        .hasMessageContaining("TOLLGATE_DB_URL must be a jdbc: URL");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("READ_TIMEOUT", "soon")))
        .hasMessageContaining("READ_TIMEOUT");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("REQUIRE_API_KEY", "maybe")))
        .hasMessageContaining("REQUIRE_API_KEY");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("UPSTREAM_BASE_URL", "ftp://x")))
        .hasMessageContaining("UPSTREAM_BASE_URL");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("UPSTREAM_TYPE", "bedrock")))
        .hasMessage("UPSTREAM_TYPE must be one of openai, azure, anthropic, gemini");
  }

  @Test
  void upstreamTypeDefaultsToOpenAi() {
    assertThat(GatewayConfig.from(Map.of("UPSTREAM_BASE_URL", "http://x")).quickStart().type()).isEqualTo("openai");
    assertThat(GatewayConfig.from(Map.of("UPSTREAM_BASE_URL", "http://x", "UPSTREAM_TYPE", "Azure")).quickStart()
        .type()).isEqualTo("azure");
  }

  @Test
  void apiKeysTakeJsonOrCommas() {
    assertThat(GatewayConfig.from(Map.of("API_KEYS", "[\"a\",\"b\"]")).apiKeys()).extracting(Secret::reveal)
        .containsExactly("a", "b");
    assertThat(GatewayConfig.from(Map.of("API_KEYS", "a, b,,c")).apiKeys()).extracting(Secret::reveal)
        .containsExactly("a", "b", "c");
  }

  @Test
  void secretsNeverShowInToString() {
    GatewayConfig c = GatewayConfig.from(Map.of("TOLLGATE_ADMIN_KEY", "admin-secret-1",
        "TOLLGATE_DB_PASSWORD", "db-secret-2", "UPSTREAM_BASE_URL", "http://x/v1", "STATIC_API_KEY", "up-secret-3",
        "API_KEYS", "client-secret-4"));
    assertThat(c.toString()).doesNotContain("admin-secret-1", "db-secret-2", "up-secret-3", "client-secret-4");
    assertThat(c.quickStart().apiKeys()).extracting(Secret::reveal).containsExactly("up-secret-3");
  }

  @Test
  void actualNameAndTheModelListCache() {
    GatewayConfig defaults = GatewayConfig.from(Map.of("ACTUAL_NAME", "  "));
    assertThat(defaults.models().actualName()).isNull();
    assertThat(defaults.models().listCacheTtl()).isEqualTo(Duration.ofSeconds(300));
    GatewayConfig set = GatewayConfig.from(ConfigSources.merge(Map.of(), Map.of("ACTUAL_NAME", " qwen2.5:7b "),
        Map.of("tollgate.models.cache.ttl", "2m")));
    assertThat(set.models().actualName()).isEqualTo("qwen2.5:7b");
    assertThat(set.models().listCacheTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("ACTUAL_NAME", "gpt-*")))
        .hasMessage("ACTUAL_NAME must be one model name (no *, at most 200 characters)");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("MODELS_CACHE_TTL", "soon")))
        .hasMessageContaining("MODELS_CACHE_TTL must be a duration");
  }

  @Test
  void corsOriginsTakeTheOlderNameAndRefuseWhatNoBrowserSends() {
    assertThat(GatewayConfig.from(Map.of()).cors().anyOrigin()).isTrue();
    assertThat(GatewayConfig.from(Map.of("CORS_ORIGINS", "https://a.example, HTTP://B.example:8080/")).cors()
        .origins()).containsExactly("https://a.example", "http://b.example:8080");
    assertThat(GatewayConfig.from(Map.of("CORS_ALLOWED_ORIGINS", "")).cors().origins()).as("off").isEmpty();
    assertThat(GatewayConfig.from(Map.of("CORS_ALLOWED_ORIGINS", "https://a.example",
        "CORS_ORIGINS", " https://a.example ")).cors().origins()).containsExactly("https://a.example");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("CORS_ALLOWED_ORIGINS", "https://a.example",
        "CORS_ORIGINS", "https://b.example"))).hasMessageContaining("both set");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("CORS_ALLOWED_ORIGINS", "https://a.example/app")))
        .hasMessageContaining("no path");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("CORS_ALLOWED_HEADERS", "Authorization, X\rY")))
        .hasMessageContaining("CORS_ALLOWED_HEADERS");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("CORS_ALLOWED_METHODS", "GET;POST")))
        .hasMessageContaining("CORS_ALLOWED_METHODS");
  }

  @Test
  void trustedProxiesAreAddressesOrRangesAndTheGraceADuration() {
    GatewayConfig c = GatewayConfig.from(Map.of("TRUSTED_PROXIES", "10.0.0.0/8, ::1", "SHUTDOWN_GRACE", "5s"));
    assertThat(c.trustedProxies()).hasSize(2);
    assertThat(c.trustedProxies().get(0).contains("10.2.3.4")).isTrue();
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(GatewayConfig.from(Map.of()).trustedProxies()).isEmpty();
    assertThat(GatewayConfig.from(Map.of()).shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> GatewayConfig.from(Map.of("TRUSTED_PROXIES", "proxy.internal")))
        .hasMessageStartingWith("TRUSTED_PROXIES");
  }
}
