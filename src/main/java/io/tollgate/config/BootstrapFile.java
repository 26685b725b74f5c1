package io.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The optional YAML file named by {@code TOLLGATE_CONFIG}: providers, models and client keys that are put into the
 * database at every start (see {@code io.tollgate.BootstrapImporter}).
 * <pre>
 * providers:
 *   - name: main
 *     type: openai                  # openai, echo, azure, anthropic or gemini
 *     base_url: https://api.deepseek.com/v1   # required unless type is echo
 *     api_keys: [sk-upstream-1, ${UPSTREAM_KEY_2}]   # or api_key: one key
 *     passthrough: false            # send the caller's own bearer token upstream instead
 *     strip_sk_prefix: false
 *     options: {api_version: 2024-10-21}   # type-specific settings, single values
 *     api_version: 2024-10-21       # shorthand for options.api_version (Azure); also anthropic_version
 * models:
 *   - name: deepseek-chat
 *     targets: [{provider: main, model: deepseek-chat}]   # model defaults to the public name
 *     aliases: [chat]               # other public names of this entry
 *     max_tokens: 8192              # requests asking for more are clamped to this
 *     supports_streaming: true      # false: the upstream is called without streaming, the answer replayed
 *     supports_tools: true          # false: requests with tools get a 400
 *   - name: deepseek-*              # a pattern: any name it matches, sent upstream as asked (model: *)
 *     targets: [{provider: main}]
 * clients:
 *   - name: ci
 *     key: ${CI_CLIENT_KEY}
 *     user: ci-team                 # optional owner, created if missing
 *     models: [gpt-4o*]             # and ip_allow, rpm, rph, tpm, model_limits, expires_at, token_quota,
 *     rpm: 60                       # budget_usd, quota_period, cache_mode: as POST /admin/keys takes them
 * </pre>
 * Any value may use {@code ${NAME}}, replaced by the environment variable NAME (an error if it is not set), or
 * {@code ${NAME:-fallback}}, which uses the fallback when NAME is unset or empty; so keys need not sit in the file.
 * Unknown keys, duplicate names or aliases and targets naming a provider the file does not define are errors that
 * name the file and the item. Keys are {@link Secret}s, so none of these records prints one. The admin API reads single
 * entries with the same rules ({@link #provider(JsonNode)}, {@link #model(JsonNode)}).
 */
public record BootstrapFile(List<ProviderEntry> providers, List<ModelEntry> models, List<ClientEntry> clients) {
  public static final List<String> PROVIDER_TYPES = List.of("openai", "echo", "azure", "anthropic", "gemini");

  public BootstrapFile {
    providers = List.copyOf(providers);
    models = List.copyOf(models);
    clients = List.copyOf(clients);
  }

  /** One upstream; baseUrl has no trailing slash and is null only for echo. */
  public record ProviderEntry(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
      boolean stripSkPrefix, Map<String, String> options) {
    public ProviderEntry {
      apiKeys = List.copyOf(apiKeys);
      options = Map.copyOf(options);
    }

    public ProviderEntry(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
        boolean stripSkPrefix) {
      this(name, type, baseUrl, apiKeys, passthrough, stripSkPrefix, Map.of());
    }
  }

  /**
   * A public model name, or a pattern with {@code *}; its targets; other public names; a cap on max_tokens (null:
   * none); whether the upstream is called streaming, and whether requests may carry tools.
   */
  public record ModelEntry(String name, List<TargetEntry> targets, List<String> aliases, Integer maxTokens,
      boolean supportsStreaming, boolean supportsTools) {
    public ModelEntry {
      targets = List.copyOf(targets);
      aliases = List.copyOf(aliases);
    }

    public ModelEntry(String name, List<TargetEntry> targets) {
      this(name, targets, List.of(), null, true, true);
    }
  }

  /**
   * A provider and the model name sent to it ({@value #PASS_THROUGH} sends the name the client asked for), its
   * priority (lower first; null: its position in the list) and its weight among targets of the same priority (null: 1).
   */
  public record TargetEntry(String provider, String model, Integer priority, Integer weight) {
    public static final String PASS_THROUGH = "*";

    public TargetEntry(String provider, String model) {
      this(provider, model, null, null);
    }
  }

  /** A client key; user names its owner (created if missing), policy its models, addresses, limits and quota. */
  public record ClientEntry(String name, Secret key, String user, KeyFields.Values policy) {
    public ClientEntry(String name, Secret key) {
      this(name, key, null, KeyFields.Values.NONE);
    }
  }

  public static BootstrapFile read(Path file) {
    return read(file, System::getenv);
  }

  public static BootstrapFile read(Path file, Function<String, String> env) {
    return new BootstrapParser(file, env).parse();
  }

  /**
   * One provider entry on its own (an admin API body), checked like a file's; {@code ${NAME}} is not substituted.
   * Errors name the key ("base_url is required for type openai").
   */
  public static ProviderEntry provider(JsonNode entry) {
    return new BootstrapParser(null, null).provider(object(entry), "");
  }

  /** One model entry on its own; whether its providers exist is for the caller to check. */
  public static ModelEntry model(JsonNode entry) {
    return new BootstrapParser(null, null).model(object(entry), "");
  }

  /**
   * Fails when the entry's name or one of its aliases is already a name or alias of one of the others (say, the
   * models stored so far): "aliases[0] 'fast' is already an alias of model 'gpt-4o'".
   */
  public static void checkNamesFree(ModelEntry entry, List<ModelEntry> others) {
    ModelEntries.checkNamesFree(new BootstrapParser(null, null), entry, others);
  }

  private static JsonNode object(JsonNode entry) {
    if (entry == null || !entry.isObject()) {
      throw new ConfigException("the body must be a JSON object");
    }
    return entry;
  }
}
