package io.tollgate;

import io.tollgate.auth.ApiKeyAuthenticator;
import io.tollgate.auth.KeyHashing;
import io.tollgate.auth.StoredKeys;
import io.tollgate.cache.ResponseCache;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.ConfigSources;
import io.tollgate.config.GatewayConfig;
import io.tollgate.config.Secret;
import io.tollgate.failover.Failover;
import io.tollgate.filter.TrustedProxyFilter;
import io.tollgate.housekeeping.Housekeeping;
import io.tollgate.lifecycle.Drain;
import io.tollgate.lifecycle.Readiness;
import io.tollgate.logging.LogOutput;
import io.tollgate.retention.LogChores;
import io.tollgate.limits.LimitGate;
import io.tollgate.metrics.GatewayMetrics;
import io.tollgate.otel.OtelTracing;
import io.tollgate.persistence.AuditRepository;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.ModelRepository;
import io.tollgate.persistence.PriceRepository;
import io.tollgate.persistence.ProviderRepository;
import io.tollgate.persistence.SecretColumns;
import io.tollgate.persistence.SecretKeys;
import io.tollgate.cost.PriceTable;
import io.tollgate.sync.ChangeFeed;
import io.tollgate.sync.SharedChangeFeed;
import io.tollgate.persistence.SessionRepository;
import io.tollgate.persistence.Tx;
import io.tollgate.session.Sessions;
import io.tollgate.inbound.responses.StoredResponses;
import io.tollgate.persistence.StoredResponseRepository;
import io.tollgate.persistence.UserRepository;
import io.tollgate.provider.AdapterRegistry;
import io.tollgate.provider.anthropic.AnthropicAdapter;
import io.tollgate.provider.azure.AzureAdapter;
import io.tollgate.provider.echo.EchoAdapter;
import io.tollgate.provider.gemini.GeminiAdapter;
import io.tollgate.provider.openai.OpenAiAdapter;
import io.tollgate.routing.ModelTables;
import io.tollgate.routing.Router;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.usage.JdbcUsageSink;
import io.tollgate.usage.RequestLogWriter;
import io.tollgate.usage.TokenCounter;
import io.tollgate.usage.UsageEvent;
import io.tollgate.usage.UsageQueries;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: reads the configuration, builds every service with {@code new}, closes them on stop. */
public final class GatewayBootstrap implements ServletContextListener {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayBootstrap.class);

  private final List<AutoCloseable> closeOnStop = new ArrayList<>();
  private Drain drain;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    try {
      start(context);
    } catch (RuntimeException e) {
      LOG.error("Tollgate could not start: {}", e.getMessage());
      stopAll();
      throw e;
    }
  }

  private void start(ServletContext context) {
    Instant started = Instant.now();
    GatewayConfig config = GatewayConfig.from(ConfigSources.merge(contextParams(context), System.getenv(),
        systemProperties()));
    // First, so everything after goes where LOG_FORMAT and LOG_DIR say; closed last, after every other service.
    keep(LogOutput.apply(config.logOutput(), context.getContextPath()));
    // Then, so the pool's meters have a registry; closed once everything it reads has stopped.
    GatewayMetrics metrics = keep(new GatewayMetrics());
    String version = version();
    // Only with an exporter configured; before the log writer, so it closes after the writer's last spans.
    OtelTracing tracing = config.otel().enabled() ? keep(OtelTracing.start(config.otel(), version)) : null;
    Drain drain = new Drain(config.shutdownGrace());
    this.drain = drain;
    TrustedProxyFilter.register(context, config.trustedProxies());
    Database database = keep(Database.open(config.db(), config.home(), metrics.registry()));
    Tx tx = new Tx(database.entityManagerFactory());
    ClientKeyRepository keys = new ClientKeyRepository(tx);
    ProviderRepository providers = new ProviderRepository(tx, unlockSecrets(tx, config));
    ModelRepository models = new ModelRepository(tx);
    PriceRepository priceRepository = new PriceRepository(tx);
    UserRepository users = new UserRepository(tx);
    boolean configuredClients = false;
    if (config.bootstrapFile() != null) {
      BootstrapFile file = BootstrapFile.read(config.bootstrapFile());
      BootstrapImporter.apply(file, config.configMode(), providers, models, keys, users);
      configuredClients = !file.clients().isEmpty();
      LOG.info("applied {}", config.bootstrapFile());
    }
    ExecutorService workers = WorkerThreads.create();
    closeOnStop.add(workers::shutdownNow);
    // Before any request can count tokens, and off this thread: the first count builds its encoding while every
    // other counting request waits (TokenCounter.warm).
    workers.execute(TokenCounter::warm);
    UpstreamClient upstream = keep(new UpstreamClient(config.upstream(), config.resilience().firstByteTimeout()));
    AdapterRegistry adapters = new AdapterRegistry(List.of(new OpenAiAdapter(upstream), new AzureAdapter(upstream),
        new AnthropicAdapter(upstream), new GeminiAdapter(upstream), new EchoAdapter(workers)));
    Router router = new Router(ModelTables.load(providers, models, config.quickStart(),
        config.models().actualName(), config.upstream().quickStartOptions()));
    String actualName = config.models().actualName();
    if (actualName != null && router.providerFor(actualName).isEmpty()) {
      // Without the name: settings may come from an env file, whose values are never logged.
      LOG.warn("ACTUAL_NAME names a model that no model entry serves: every chat request will get a 404 until one"
          + " does");
    }
    StoredKeys storedKeys = new StoredKeys(keys);
    // Once at boot: the first lookup builds its query and warms the pool, which a request (whose wait for a key
    // lookup is bounded, see KeyLookups) should not pay for.
    storedKeys.apply(KeyHashing.sha256Hex("tollgate-warm-up"));
    ApiKeyAuthenticator auth = new ApiKeyAuthenticator(storedKeys, config.apiKeys(), config.keyCacheTtl(),
        config.keyCacheStale(), workers);
    Consumer<UsageEvent> finished = tracing == null ? metrics.finishedRequests()
        : tracing.spans().andThen(metrics.finishedRequests());
    RequestLogWriter logWriter = keep(new RequestLogWriter(new JdbcUsageSink(database.dataSource()),
        config.usage(), finished));
    Failover failover = keep(new Failover(config.resilience()));
    failover.pools().sync(router.table().providers().values());
    PriceTable prices = new PriceTable(priceRepository.findAll());
    ChangeFeed changes = keep(new SharedChangeFeed(database.dataSource(), "postgresql".equals(database.vendor()),
        config.db().changePollInterval()));
    Housekeeping housekeeping = keep(new Housekeeping());
    LogChores.start(housekeeping, database.dataSource(), "postgresql".equals(database.vendor()), config.logs(),
        Clock.systemUTC());
    LimitGate limits = keep(new LimitGate(database.dataSource(), database.vendor(), workers, prices));
    // A zero-configuration start gets an admin key of its own too, so the console works there at once.
    boolean zeroConfiguration = zeroConfiguration(config, database, configuredClients);
    Secret demoAdminKey = zeroConfiguration ? DemoAdminKey.ensure(config.home()).orElse(null) : null;
    Gateway gateway = new Gateway(demoAdminKey == null ? config : config.withAdminKey(demoAdminKey), router,
        adapters, auth, logWriter, keys, providers, models, priceRepository, prices, changes, failover, upstream, limits, version,
        new UsageQueries(database.dataSource(), started), users, new AuditRepository(tx), drain,
        new Readiness(database.dataSource(), drain, workers), metrics);
    metrics.watch(logWriter, failover, limits);
    metrics.watch(upstream);
    if (tracing != null) {
      metrics.watch(tracing);
    }
    Runnable routing = gateway::reloadRouting;
    changes.onChange(ChangeFeed.Kind.PROVIDERS, routing);
    changes.onChange(ChangeFeed.Kind.MODELS, routing);
    Runnable keysAndUsers = auth::invalidateAll;
    changes.onChange(ChangeFeed.Kind.KEYS, keysAndUsers);
    changes.onChange(ChangeFeed.Kind.USERS, keysAndUsers);
    changes.onChange(ChangeFeed.Kind.PRICES, () -> prices.replace(priceRepository.findAll()));
    context.setAttribute(Gateway.ATTRIBUTE, gateway);
    Sessions sessions = new Sessions(new SessionRepository(tx), config.sessions(), workers, Clock.systemUTC());
    housekeeping.every("session pruning", Duration.ofMinutes(1), Duration.ofMinutes(1), () -> sessions.prune(500, 20));
    context.setAttribute(Sessions.ATTRIBUTE, sessions);
    StoredResponses stored = new StoredResponses(new StoredResponseRepository(tx), config.responsesTtl(), workers,
        Clock.systemUTC());
    housekeeping.every("stored response pruning", Duration.ofMinutes(1), Duration.ofMinutes(1),
        () -> stored.prune(500, 20));
    context.setAttribute(StoredResponses.ATTRIBUTE, stored);
    ResponseCache cache = keep(new ResponseCache(config.cache(), database.dataSource(),
        "postgresql".equals(database.vendor()),
        workers, housekeeping, config.db().changePollInterval(), config.resilience().totalTimeout()));
    metrics.watch(cache);
    context.setAttribute(ResponseCache.ATTRIBUTE, cache);
    LOG.info("Tollgate {} started: database {}, {} models, {} threads for its own work", version,
        database.description(), router.table().models().size()
            + (router.table().wildcardProvider() != null ? " configured + every model of UPSTREAM_BASE_URL" : ""),
        WorkerThreads.virtual(workers) ? "virtual" : "pooled");
    Optional<DemoKey.Issued> demoKey = Optional.empty();
    if (zeroConfiguration && config.requireApiKey()) {
      // Printed on purpose, and only this demo key: the zero-configuration start must work with curl at once.
      demoKey = DemoKey.ensure(keys, config.home());
    } else if (config.requireApiKey() && config.apiKeys().isEmpty() && !configuredClients
        && keys.countActive() == 0) {
      LOG.warn("no client key exists: API requests get a 401 until one is made with POST /admin/keys, API_KEYS or"
          + " the clients of the TOLLGATE_CONFIG file");
    }
    StartBanner.text(demoKey, demoAdminKey == null ? null : config.home().resolve(DemoAdminKey.FILE).normalize(),
        ServerUrl.of(context.getContextPath()), StartBanner.model(router, actualName)).ifPresent(System.out::println);
  }

  /** Checks TOLLGATE_SECRET_KEY against the stored credentials and brings them under it, before anything reads them. */
  private static SecretColumns unlockSecrets(Tx tx, GatewayConfig config) {
    Secret key = config.secretKey().key();
    Secret previous = config.secretKey().previous();
    SecretKeys.Unlocked unlocked = SecretKeys.unlock(tx, key == null ? null : key.reveal(),
        previous == null ? null : previous.reveal());
    if (unlocked.rewritten() > 0) {
      LOG.info("{} the upstream credentials of {} provider(s)", key == null ? "decrypted (TOLLGATE_SECRET_KEY is not"
          + " set)" : "encrypted", unlocked.rewritten());
    }
    if (!unlocked.columns().encrypted()) {
      LOG.warn("TOLLGATE_SECRET_KEY is not set: upstream API keys are stored in the database in plaintext"
          + " (see SECURITY.md)");
    }
    return unlocked.columns();
  }

  /**
   * Nothing says this is a real deployment: no admin key, the embedded database rather than a configured one, and
   * no client key in the settings (API_KEYS, or the clients of the bootstrap file).
   */
  private static boolean zeroConfiguration(GatewayConfig config, Database database, boolean configuredClients) {
    return config.adminKey() == null && database.embeddedDefault() && config.apiKeys().isEmpty()
        && !configuredClients;
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    closeOnStop.add(closeable);
    return closeable;
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    stopAll();
  }

  private void stopAll() {
    if (drain != null) {
      drain.drain(); // first: open streams finish and queue their rows before the writer and pools close
    }
    List<AutoCloseable> reversed = new ArrayList<>(closeOnStop);
    Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("error while stopping: {}", e.toString());
      }
    }
    closeOnStop.clear();
    io.tollgate.stream.ClientWatch.stop(); // its thread would outlive the webapp by seconds
    deregisterDrivers();
  }

  /**
   * Drivers loaded from this webapp's WEB-INF/lib would pin its class loader after an undeploy. Only those: a
   * driver the container (or an embedding test) loaded is shared with others.
   */
  private static void deregisterDrivers() {
    ClassLoader mine = Thread.currentThread().getContextClassLoader();
    for (java.sql.Driver d : Collections.list(java.sql.DriverManager.getDrivers())) {
      if (d.getClass().getClassLoader() == mine) {
        try {
          java.sql.DriverManager.deregisterDriver(d);
        } catch (java.sql.SQLException e) {
          LOG.debug("could not deregister {}", d, e);
        }
      }
    }
  }

  private static String version() {
    try (java.io.InputStream in = GatewayBootstrap.class.getResourceAsStream("/tollgate-version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (java.io.IOException e) {
      return "dev";
    }
  }

  private static Map<String, String> contextParams(ServletContext context) {
    Map<String, String> params = new HashMap<>();
    Collections.list(context.getInitParameterNames()).forEach(n -> params.put(n, context.getInitParameter(n)));
    return params;
  }

  private static Map<String, String> systemProperties() {
    Map<String, String> props = new HashMap<>();
    System.getProperties().forEach((k, v) -> props.put(k.toString(), v.toString()));
    return props;
  }
}
