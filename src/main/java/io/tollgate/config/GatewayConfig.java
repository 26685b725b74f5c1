package io.tollgate.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.upstream.UpstreamProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything the gateway reads at start-up, validated once; see docs/CONFIG.md for each name. */
public record GatewayConfig(
    DbConfig db,
    Path home,
    Secret adminKey,
    boolean requireApiKey,
    long maxBodyBytes,
    Duration bodyReadTimeout,
    Duration writeTimeout,
    UpstreamConfig upstream,
    Path bootstrapFile,
    ConfigMode configMode,
    QuickStart quickStart,
    List<Secret> apiKeys,
    UsageConfig usage,
    Duration keyCacheTtl,
    Duration keyCacheStale,
    int authFailureLimit,
    CorsConfig cors,
    List<AddressRange> trustedProxies,
    Duration shutdownGrace,
    ModelsConfig models,
    ResilienceConfig resilience,
    CacheConfig cache,
    SessionConfig sessions,
    Duration responsesTtl,
    LogConfig logs,
    LogOutputConfig logOutput,
    OtelConfig otel,
    SecretKeyConfig secretKey,
    UploadConfig uploads) {

  public static final Set<String> KEYS = Set.of(
      "TOLLGATE_DB_URL", "TOLLGATE_DB_USER", "TOLLGATE_DB_PASSWORD", "TOLLGATE_DB_JNDI", "TOLLGATE_DB_POOL_SIZE",
      "CHANGE_POLL_INTERVAL", "TOLLGATE_HOME", "TOLLGATE_ADMIN_KEY", "TOLLGATE_CONFIG", "TOLLGATE_CONFIG_MODE",
      "REQUIRE_API_KEY", "MAX_BODY_BYTES", "MAX_UPLOAD_BYTES", "UPLOAD_DIR", "BODY_READ_TIMEOUT", "WRITE_TIMEOUT",
      "CONNECT_TIMEOUT", "READ_TIMEOUT", "MAX_CONNECTIONS", "UPSTREAM_BASE_URL", "UPSTREAM_API_KEY", "UPSTREAM_TYPE",
      "STATIC_API_KEY", "API_KEYS", "USAGE_LOG", "USAGE_QUEUE_SIZE", "USAGE_LINGER", "USAGE_BATCH_SIZE",
      "KEY_CACHE_TTL", "KEY_CACHE_STALE", "AUTH_FAILURE_LIMIT", "CORS_ORIGINS", "CORS_ALLOWED_ORIGINS", "CORS_ALLOWED_METHODS",
      "CORS_ALLOWED_HEADERS", "TRUSTED_PROXIES", "SHUTDOWN_GRACE", "ACTUAL_NAME", "MODELS_CACHE_TTL",
      "RETRY_TIMES", "RETRY_DELAY", "RETRY_MAX_DELAY", "RETRY_ON_TIMEOUT", "TOTAL_TIMEOUT", "FIRST_BYTE_TIMEOUT",
      "KEY_COOLDOWN", "KEY_RECHECK_INTERVAL", "BREAKER_FAILURE_RATE", "BREAKER_MIN_CALLS", "BREAKER_WINDOW",
      "BREAKER_OPEN_TIME",
      "MAX_KEEPALIVE", "MASK_AS_BROWSER", "CONVERSATION_API_URL", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY",
      "TOLLGATE_ENV_FILE", "TOKEN_POOL", "AVAILABLE_MODELS",
      "CACHE_ENABLED", "CACHE_TTL", "CACHE_MAX_ENTRIES", "CACHE_MAX_BYTES", "CACHE_MAX_ENTRY_BYTES", "CACHE_MODE",
      "CACHE_SHARED", "SESSIONS_ENABLED", "SESSION_MAX_TURNS", "SESSION_MAX_TOKENS", "SESSION_TTL", "RESPONSES_TTL",
      "LOG_BODIES",
      "LOG_BODY_MAX_BYTES", "LOG_RETENTION_DAYS", "LOG_FORMAT", "LOG_DIR",
      "TOLLGATE_SECRET_KEY", "TOLLGATE_SECRET_KEY_PREVIOUS",
      // OpenTelemetry's standard names, read by its SDK (OtelConfig); any other OTEL_* name reaches it too.
      "OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
      "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS",
      "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
      "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_MAX_QUEUE_SIZE",
      "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "OTEL_BSP_EXPORT_TIMEOUT");

  public static final String DEFAULT_JNDI = "java:comp/env/jdbc/tollgate";

  /** Where the gateway's database comes from: a JDBC URL, else the container's DataSource, else H2 under home. */
  public record DbConfig(String url, String user, Secret password, String jndiName, int poolSize,
      Duration changePollInterval) {
    public DbConfig(String url, String user, Secret password, String jndiName, int poolSize) {
      this(url, user, password, jndiName, poolSize, Duration.ofSeconds(2));
    }
  }

  /**
   * Settings of the connections to upstream providers, each a default a provider's options may override: idle
   * keep-alive connections kept per upstream (null: no limit), browser masking, the environment's proxies, and
   * the quick-start provider's conversation URL (see {@link UpstreamSettings}).
   */
  public record UpstreamConfig(Duration connectTimeout, Duration readTimeout, int maxConnections,
      Integer maxKeepAlive, boolean maskAsBrowser, String conversationApiUrl, UpstreamProxy httpsProxy,
      UpstreamProxy httpProxy, String noProxy) {
    public UpstreamConfig(Duration connectTimeout, Duration readTimeout, int maxConnections) {
      this(connectTimeout, readTimeout, maxConnections, null, false, null, null, null, null);
    }

    /** The options the quick-start provider (UPSTREAM_BASE_URL) gets from these settings. */
    public Map<String, String> quickStartOptions() {
      return conversationApiUrl == null ? Map.of() : Map.of("conversation_url", conversationApiUrl);
    }
  }

  /**
   * The single-upstream quick start: one upstream of the given provider type, its keys used in turn, serving the
   * listed model names (patterns allowed), or every model when the list is empty.
   */
  public record QuickStart(String baseUrl, List<Secret> apiKeys, String type, List<String> models) {
    public static final List<String> TYPES = List.of("openai", "azure", "anthropic", "gemini");

    public QuickStart {
      apiKeys = List.copyOf(apiKeys);
      models = List.copyOf(models);
    }

    public boolean enabled() {
      return baseUrl != null;
    }
  }

  /**
   * Model-table settings: single-model mode (every requested name served as {@code actualName}, or null), and how
   * long providers' own model lists are kept for {@code /v1/models}.
   */
  public record ModelsConfig(String actualName, Duration listCacheTtl) {
  }

  /**
   * Retries, key cooldowns and circuit breakers: {@code retryTimes} retries after the first attempt, with full-jitter
   * backoff from {@code retryDelay} doubling up to {@code retryMaxDelay}; {@code totalTimeout} bounds every attempt
   * of a request together (a whole answer must be complete by then, a stream only begun); {@code firstByteTimeout}
   * bounds each attempt's wait for its answer to begin.
   */
  public record ResilienceConfig(int retryTimes, Duration retryDelay, Duration retryMaxDelay, boolean retryOnTimeout,
      Duration totalTimeout, Duration firstByteTimeout, Duration keyCooldown, Duration keyRecheck,
      int breakerFailureRate, int breakerMinCalls, int breakerWindow, Duration breakerOpenTime) {
  }

  /**
   * Multipart uploads (audio to transcribe, images to edit): read as they arrive up to {@code maxBytes}, their
   * files spooled under {@code dir} (null: the container's temporary directory for the webapp).
   */
  public record UploadConfig(long maxBytes, Path dir) {
  }

  /** The request log: an asynchronous, batched writer with a bounded queue. */
  public record UsageConfig(boolean enabled, int queueSize, Duration linger, int batchSize) {
  }

  /** The same settings with this admin key: the zero-configuration start's generated one. */
  public GatewayConfig withAdminKey(Secret key) {
    return new GatewayConfig(db, home, key, requireApiKey, maxBodyBytes, bodyReadTimeout, writeTimeout, upstream,
        bootstrapFile, configMode, quickStart, apiKeys, usage, keyCacheTtl, keyCacheStale, authFailureLimit, cors,
        trustedProxies, shutdownGrace, models, resilience, cache, sessions, responsesTtl, logs, logOutput, otel,
        secretKey, uploads);
  }

  public static GatewayConfig from(Map<String, String> values) {
    Settings s = new Settings(values);
    String dbUrl = s.nonBlank("TOLLGATE_DB_URL").orElse(null);
    if (dbUrl != null && !dbUrl.startsWith("jdbc:")) {
      throw new ConfigException("TOLLGATE_DB_URL must be a jdbc: URL");
    }
    DbConfig db = new DbConfig(dbUrl, s.string("TOLLGATE_DB_USER").orElse(null),
        Secret.of(s.string("TOLLGATE_DB_PASSWORD").orElse(null)),
        s.nonBlank("TOLLGATE_DB_JNDI").orElse(DEFAULT_JNDI), s.integer("TOLLGATE_DB_POOL_SIZE", 10, 1),
        positive("CHANGE_POLL_INTERVAL", s.duration("CHANGE_POLL_INTERVAL", Duration.ofSeconds(2))));
    QuickStart quickStart = QuickStartSettings.read(s);
    UpstreamConfig upstream = UpstreamSettings.read(s,
        positive("CONNECT_TIMEOUT", s.duration("CONNECT_TIMEOUT", Duration.ofSeconds(5))),
        positive("READ_TIMEOUT", s.duration("READ_TIMEOUT", Duration.ofSeconds(600))),
        s.integer("MAX_CONNECTIONS", 10_000, 1), quickStart.baseUrl());
    UsageConfig usage = new UsageConfig(s.bool("USAGE_LOG", true), s.integer("USAGE_QUEUE_SIZE", 50_000, 1),
        s.duration("USAGE_LINGER", Duration.ofMillis(50)), s.integer("USAGE_BATCH_SIZE", 500, 1));
    long maxBody = s.longValue("MAX_BODY_BYTES", 10L * 1024 * 1024);
    if (maxBody < 1) {
      throw new ConfigException("MAX_BODY_BYTES must be at least 1");
    }
    return new GatewayConfig(db, Path.of(s.nonBlank("TOLLGATE_HOME").orElse("./data")),
        Secret.of(s.nonBlank("TOLLGATE_ADMIN_KEY").orElse(null)), s.bool("REQUIRE_API_KEY", true), maxBody,
        positive("BODY_READ_TIMEOUT", s.duration("BODY_READ_TIMEOUT", Duration.ofSeconds(30))),
        positive("WRITE_TIMEOUT", s.duration("WRITE_TIMEOUT", Duration.ofSeconds(60))), upstream, s.nonBlank("TOLLGATE_CONFIG").map(Path::of).orElse(null),
        s.nonBlank("TOLLGATE_CONFIG_MODE").map(ConfigMode::parse).orElse(ConfigMode.SYNC), quickStart,
        apiKeys(s.nonBlank("API_KEYS").orElse(null)), usage, s.duration("KEY_CACHE_TTL", Duration.ofSeconds(5)),
        s.duration("KEY_CACHE_STALE", Duration.ofHours(1)),
        s.integer("AUTH_FAILURE_LIMIT", 60, 0),
        CorsConfig.read(s), trustedProxies(s.string("TRUSTED_PROXIES").orElse("")),
        s.duration("SHUTDOWN_GRACE", Duration.ofSeconds(30)), models(s), resilience(s, upstream), CacheConfig.read(s),
        SessionConfig.read(s), positive("RESPONSES_TTL", s.duration("RESPONSES_TTL", Duration.ofDays(30))),
        LogConfig.read(s), LogOutputConfig.read(s), OtelConfig.read(values),
        SecretKeyConfig.read(s), uploads(s));
  }

  private static UploadConfig uploads(Settings s) {
    long max = s.longValue("MAX_UPLOAD_BYTES", 25L * 1024 * 1024);
    if (max < 1) {
      throw new ConfigException("MAX_UPLOAD_BYTES must be at least 1");
    }
    return new UploadConfig(max, s.nonBlank("UPLOAD_DIR").map(Path::of).orElse(null));
  }

  private static ResilienceConfig resilience(Settings s, UpstreamConfig upstream) {
    int failureRate = s.integer("BREAKER_FAILURE_RATE", 50, 1);
    if (failureRate > 100) {
      throw new ConfigException("BREAKER_FAILURE_RATE must be a percentage from 1 to 100");
    }
    int minCalls = s.integer("BREAKER_MIN_CALLS", 10, 1);
    int window = s.integer("BREAKER_WINDOW", Math.max(20, minCalls), 1);
    if (window < minCalls) {
      throw new ConfigException("BREAKER_WINDOW must be at least BREAKER_MIN_CALLS (" + minCalls + ")");
    }
    return new ResilienceConfig(s.integer("RETRY_TIMES", 2, 0),
        s.duration("RETRY_DELAY", Duration.ofMillis(200)), s.duration("RETRY_MAX_DELAY", Duration.ofSeconds(5)),
        s.bool("RETRY_ON_TIMEOUT", false),
        positive("TOTAL_TIMEOUT", s.duration("TOTAL_TIMEOUT", upstream.readTimeout().multipliedBy(2))),
        positive("FIRST_BYTE_TIMEOUT", s.duration("FIRST_BYTE_TIMEOUT", upstream.readTimeout())),
        positive("KEY_COOLDOWN", s.duration("KEY_COOLDOWN", Duration.ofSeconds(30))),
        positive("KEY_RECHECK_INTERVAL", s.duration("KEY_RECHECK_INTERVAL", Duration.ofMinutes(10))),
        failureRate, minCalls, window,
        positive("BREAKER_OPEN_TIME", s.duration("BREAKER_OPEN_TIME", Duration.ofSeconds(30))));
  }

  private static ModelsConfig models(Settings s) {
    String actualName = s.nonBlank("ACTUAL_NAME").orElse(null);
    if (actualName != null && (actualName.indexOf('*') >= 0 || actualName.length() > 200)) {
      throw new ConfigException("ACTUAL_NAME must be one model name (no *, at most 200 characters)");
    }
    return new ModelsConfig(actualName, s.duration("MODELS_CACHE_TTL", Duration.ofSeconds(300)));
  }

  private static Duration positive(String key, Duration d) {
    if (d.isZero()) {
      throw new ConfigException(key + " must be more than zero");
    }
    return d;
  }

  /** TRUSTED_PROXIES: addresses and CIDR ranges whose X-Forwarded-* headers are believed. */
  static List<AddressRange> trustedProxies(String raw) {
    try {
      return Arrays.stream(raw.split(",")).map(String::trim).filter(v -> !v.isEmpty()).map(AddressRange::parse)
          .toList();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("TRUSTED_PROXIES: " + e.getMessage());
    }
  }

  /** API_KEYS is a JSON array or a comma-separated list. */
  static List<Secret> apiKeys(String raw) {
    if (raw == null) {
      return List.of();
    }
    List<String> keys;
    if (raw.startsWith("[")) {
      try {
        keys = new ObjectMapper().readValue(raw, new TypeReference<List<String>>() { });
      } catch (Exception e) {
        throw new ConfigException("API_KEYS must be a JSON array of strings or a comma-separated list");
      }
    } else {
      keys = Arrays.asList(raw.split(","));
    }
    return keys.stream().map(String::trim).filter(k -> !k.isEmpty()).map(Secret::of).toList();
  }
}
