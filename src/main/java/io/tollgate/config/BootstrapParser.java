package io.tollgate.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tollgate.config.BootstrapFile.ClientEntry;
import io.tollgate.config.BootstrapFile.ModelEntry;
import io.tollgate.config.BootstrapFile.ProviderEntry;
import io.tollgate.config.BootstrapFile.TargetEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/** Reads and checks a {@link BootstrapFile}; every error names the file and the item ("providers[1].type"). */
final class BootstrapParser {
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private static final Set<String> PROVIDER_KEYS = Set.of("name", "type", "base_url", "api_keys", "api_key",
      "passthrough", "strip_sk_prefix", "options", "api_version", "anthropic_version");
  private static final Map<String, String> HEADER_GROUPS = Map.of("headers", "header", "conversation_headers",
      "conversation_header");
  private static final List<String> OPTION_SHORTHANDS = List.of("api_version", "anthropic_version");

  private final Path file;
  private final Function<String, String> env;

  /** Without a file, errors name only the item; without env, ${NAME} is taken literally. */
  BootstrapParser(Path file, Function<String, String> env) {
    this.file = file;
    this.env = env;
  }

  BootstrapFile parse() {
    JsonNode root = load();
    if (root.isMissingNode() || root.isNull()) {
      return new BootstrapFile(List.of(), List.of(), List.of());
    }
    if (!root.isObject()) {
      throw fail("the top level must be a mapping of providers, models and clients");
    }
    onlyKeys(root, "", Set.of("providers", "models", "clients"));
    List<ProviderEntry> providers = items(root, "providers", this::provider);
    List<ModelEntry> models = items(root, "models", this::model);
    List<ClientEntry> clients = items(root, "clients", this::client);
    unique("providers", providers.stream().map(ProviderEntry::name).toList());
    unique("models", models.stream().map(ModelEntry::name).toList());
    unique("clients", clients.stream().map(ClientEntry::name).toList());
    checkTargets(providers, models);
    ModelEntries.checkNames(this, models);
    checkClientKeys(clients);
    return new BootstrapFile(providers, models, clients);
  }

  private JsonNode load() {
    try {
      return YAML.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      // Parser messages can quote the offending line, which may hold a key: report only where it is.
      String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
          ? e.getOriginalMessage() : "not valid YAML";
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw fail(what + where);
    } catch (IOException e) {
      throw fail("cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  ProviderEntry provider(JsonNode node, String at) {
    onlyKeys(node, at, PROVIDER_KEYS);
    String name = name(node, at, Names.PROVIDER);
    String type = required(node, at, "type").toLowerCase(Locale.ROOT);
    if (!BootstrapFile.PROVIDER_TYPES.contains(type)) {
      throw fail(key(at, "type") + " must be one of " + String.join(", ", BootstrapFile.PROVIDER_TYPES));
    }
    String baseUrl = optional(node, at, "base_url");
    if (baseUrl == null && !type.equals("echo")) {
      throw fail(key(at, "base_url") + " is required for type " + type);
    }
    String url = baseUrl;
    baseUrl = url == null ? null : checked(() -> BaseUrls.check(url, key(at, "base_url")));
    Map<String, String> options = options(node, at);
    checked(() -> {
      ProviderOptions.check(name, options, at.isEmpty() ? "" : at + ".");
      ProviderOptions.checkBaseUrl(url, options, key(at, "base_url"));
      return null;
    });
    return new ProviderEntry(name, type, baseUrl, keys(node, at), bool(node, at, "passthrough"),
        bool(node, at, "strip_sk_prefix"), options);
  }

  private List<Secret> keys(JsonNode node, String at) {
    if (node.has("api_keys") && node.has("api_key")) {
      throw fail(key(at, "api_key") + " and api_keys are both set; use one");
    }
    List<Secret> keys = new ArrayList<>();
    if (node.has("api_key")) {
      keys.add(Secret.of(required(node, at, "api_key")));
    } else if (node.hasNonNull("api_keys")) {
      JsonNode list = node.get("api_keys");
      if (!list.isArray()) {
        throw fail(key(at, "api_keys") + " must be a list");
      }
      for (int i = 0; i < list.size(); i++) {
        String key = scalar(list.get(i), key(at, "api_keys[" + i + "]")).trim();
        if (!key.isEmpty()) { // "${OPTIONAL_KEY:-}" that is unset adds no key
          keys.add(Secret.of(key));
        }
      }
    }
    return keys;
  }

  /** The options mapping plus the shorthand keys (api_version, anthropic_version) that go into it. */
  private Map<String, String> options(JsonNode node, String at) {
    Map<String, String> out = new TreeMap<>();
    JsonNode options = node.get("options");
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw fail(key(at, "options") + " must be a mapping of names to single values");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> option = it.next();
        if (HEADER_GROUPS.containsKey(option.getKey()) && option.getValue().isObject()) {
          headers(option.getValue(), key(at, "options." + option.getKey()), HEADER_GROUPS.get(option.getKey()), out);
          continue;
        }
        String value = scalar(option.getValue(), key(at, "options." + option.getKey())).trim();
        if (!value.isEmpty()) {
          out.put(option.getKey(), value);
        }
      }
    }
    for (String shorthand : OPTION_SHORTHANDS) {
      String value = optional(node, at, shorthand);
      if (node.has(shorthand) && options != null && options.has(shorthand)) {
        throw fail(key(at, shorthand) + " is also set under options; use one");
      }
      if (value != null) {
        out.put(shorthand, value);
      }
    }
    return out;
  }

  /** {@code headers: {X-Name: v}} is stored as {@code header.X-Name: v}, the flat form options keep. */
  private void headers(JsonNode mapping, String at, String group, Map<String, String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      String name = group + "." + header.getKey();
      if (out.containsKey(name)) {
        throw fail(at + "." + header.getKey() + " is also set as options." + name + "; use one");
      }
      out.put(name, scalar(header.getValue(), at + "." + header.getKey()).trim());
    }
  }

  ModelEntry model(JsonNode node, String at) {
    return new ModelEntries(this).read(node, at);
  }

  private ClientEntry client(JsonNode node, String at) {
    onlyKeys(node, at, Set.of("name", "key"));
    return new ClientEntry(name(node, at, Names.KEY), Secret.of(required(node, at, "key")));
  }

  private <T> List<T> items(JsonNode root, String section, BiFunction<JsonNode, String, T> reader) {
    JsonNode list = root.get(section);
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw fail(section + " must be a list");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = section + "[" + i + "]";
      if (!list.get(i).isObject()) {
        throw fail(at + " must be a mapping");
      }
      out.add(reader.apply(list.get(i), at));
    }
    return out;
  }

  private void checkTargets(List<ProviderEntry> providers, List<ModelEntry> models) {
    Set<String> known = Set.copyOf(providers.stream().map(ProviderEntry::name).toList());
    for (int m = 0; m < models.size(); m++) {
      List<TargetEntry> targets = models.get(m).targets();
      for (int t = 0; t < targets.size(); t++) {
        if (!known.contains(targets.get(t).provider())) {
          throw fail("models[" + m + "].targets[" + t + "].provider '" + targets.get(t).provider()
              + "' is not one of the providers in this file");
        }
      }
    }
  }

  private void checkClientKeys(List<ClientEntry> clients) {
    Map<Secret, Integer> seen = new HashMap<>();
    for (int i = 0; i < clients.size(); i++) {
      Integer first = seen.putIfAbsent(clients.get(i).key(), i);
      if (first != null) {
        throw fail("clients[" + i + "].key is the same key as clients[" + first + "].key");
      }
    }
  }

  private void unique(String section, List<String> names) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Integer first = seen.putIfAbsent(names.get(i), i);
      if (first != null) {
        throw fail(section + "[" + i + "].name '" + names.get(i) + "' is already used by " + section + "[" + first
            + "]");
      }
    }
  }

  void onlyKeys(JsonNode node, String at, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        String where = at.isEmpty() ? "unknown key '" + key + "'" : at + " has unknown key '" + key + "'";
        throw fail(where + "; expected " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  String required(JsonNode node, String at, String key) {
    String value = optional(node, at, key);
    if (value == null) {
      throw fail(key(at, key) + " is required");
    }
    return value;
  }

  /** An entry's name as given: refused, not trimmed, when it breaks the rule. */
  String name(JsonNode node, String at, Names rule) {
    required(node, at, "name");
    String name = scalar(node.get("name"), key(at, "name"));
    return checked(() -> rule.check(name, key(at, "name")));
  }

  /** A rule's ConfigException, naming this file too. */
  <T> T checked(Supplier<T> rule) {
    try {
      return rule.get();
    } catch (ConfigException e) {
      throw fail(e.getMessage());
    }
  }

  /** "providers[0].type" in a file; just "type" for a single entry, as the admin API reads it. */
  static String key(String at, String key) {
    return at.isEmpty() ? key : at + "." + key;
  }

  /** A non-blank scalar after ${VAR} substitution, or null when absent or blank. */
  String optional(JsonNode node, String at, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    String text = scalar(value, key(at, key)).trim();
    return text.isEmpty() ? null : text;
  }

  private boolean bool(JsonNode node, String at, String key) {
    return bool(node, at, key, false);
  }

  boolean bool(JsonNode node, String at, String key, boolean fallback) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return switch (scalar(value, key(at, key)).trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      case "" -> fallback;
      default -> throw fail(key(at, key) + " must be true or false");
    };
  }

  String scalar(JsonNode value, String at) {
    if (value == null || !value.isValueNode() || value.isNull()) {
      throw fail(at + " must be a single value");
    }
    String text;
    try {
      text = env == null ? value.asText() : EnvVariables.substitute(value.asText(), env);
    } catch (IllegalArgumentException unset) {
      throw fail(at + " uses " + unset.getMessage() + ", which is not set");
    }
    // A trailing newline (a key read from a file) is trimmed by the callers; one inside is a mistake.
    if (text.strip().chars().anyMatch(Names::control)) {
      throw fail(at + " must not contain control characters");
    }
    return text;
  }

  ConfigException fail(String problem) {
    return new ConfigException(file == null ? problem : file + ": " + problem);
  }
}
