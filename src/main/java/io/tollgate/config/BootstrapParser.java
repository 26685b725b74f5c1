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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and checks a {@link BootstrapFile}; every error names the file and the item ("providers[1].type"). */
final class BootstrapParser {
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final Pattern HTTP_URL = Pattern.compile("(?i)https?://[^\\s/]+\\S*");

  private final Path file;
  private final Function<String, String> env;

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

  private ProviderEntry provider(JsonNode node, String at) {
    onlyKeys(node, at, Set.of("name", "type", "base_url", "api_keys", "api_key", "passthrough", "strip_sk_prefix"));
    String name = required(node, at, "name");
    String type = required(node, at, "type").toLowerCase(Locale.ROOT);
    if (!BootstrapFile.PROVIDER_TYPES.contains(type)) {
      throw fail(at + ".type must be one of " + String.join(", ", BootstrapFile.PROVIDER_TYPES));
    }
    String baseUrl = optional(node, at, "base_url");
    if (baseUrl == null && !type.equals("echo")) {
      throw fail(at + ".base_url is required for type " + type);
    }
    if (baseUrl != null && !HTTP_URL.matcher(baseUrl).matches()) {
      throw fail(at + ".base_url must be an http:// or https:// URL");
    }
    if (baseUrl != null && baseUrl.endsWith("/")) {
      baseUrl = baseUrl.replaceAll("/+$", "");
    }
    if (node.has("api_keys") && node.has("api_key")) {
      throw fail(at + " has both api_key and api_keys; use one");
    }
    List<Secret> keys = new ArrayList<>();
    if (node.has("api_key")) {
      keys.add(Secret.of(required(node, at, "api_key")));
    } else if (node.hasNonNull("api_keys")) {
      JsonNode list = node.get("api_keys");
      if (!list.isArray()) {
        throw fail(at + ".api_keys must be a list");
      }
      for (int i = 0; i < list.size(); i++) {
        keys.add(Secret.of(scalar(list.get(i), at + ".api_keys[" + i + "]")));
      }
    }
    return new ProviderEntry(name, type, baseUrl, keys, bool(node, at, "passthrough"),
        bool(node, at, "strip_sk_prefix"));
  }

  private ModelEntry model(JsonNode node, String at) {
    onlyKeys(node, at, Set.of("name", "targets"));
    String name = required(node, at, "name");
    JsonNode list = node.get("targets");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw fail(at + ".targets must be a list of at least one {provider, model}");
    }
    List<TargetEntry> targets = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String t = at + ".targets[" + i + "]";
      JsonNode target = list.get(i);
      if (!target.isObject()) {
        throw fail(t + " must be a mapping with provider and model");
      }
      onlyKeys(target, t, Set.of("provider", "model"));
      String model = optional(target, t, "model");
      targets.add(new TargetEntry(required(target, t, "provider"), model == null ? name : model));
    }
    return new ModelEntry(name, targets);
  }

  private ClientEntry client(JsonNode node, String at) {
    onlyKeys(node, at, Set.of("name", "key"));
    return new ClientEntry(required(node, at, "name"), Secret.of(required(node, at, "key")));
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

  private void onlyKeys(JsonNode node, String at, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        String where = at.isEmpty() ? "unknown key '" + key + "'" : at + " has unknown key '" + key + "'";
        throw fail(where + "; expected " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private String required(JsonNode node, String at, String key) {
    String value = optional(node, at, key);
    if (value == null) {
      throw fail(at + "." + key + " is required");
    }
    return value;
  }

  /** A non-blank scalar after ${VAR} substitution, or null when absent or blank. */
  private String optional(JsonNode node, String at, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    String text = scalar(value, at + "." + key).trim();
    return text.isEmpty() ? null : text;
  }

  private boolean bool(JsonNode node, String at, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return switch (scalar(value, at + "." + key).trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false", "" -> false;
      default -> throw fail(at + "." + key + " must be true or false");
    };
  }

  private String scalar(JsonNode value, String at) {
    if (value == null || !value.isValueNode() || value.isNull()) {
      throw fail(at + " must be a single value");
    }
    return substitute(value.asText(), at);
  }

  private String substitute(String text, String at) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (m.group(2) != null && (value == null || value.isEmpty())) {
        value = m.group(3);
      }
      if (value == null) {
        throw fail(at + " uses ${" + m.group(1) + "}, which is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private ConfigException fail(String problem) {
    return new ConfigException(file + ": " + problem);
  }
}
