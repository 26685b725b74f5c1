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
import java.util.function.Supplier;

/** Reads and checks a {@link BootstrapFile}; every error names the file and the item ("providers[1].type"). */
final class BootstrapParser {
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();


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
    return new ProviderEntries(this).read(node, at);
  }

  ModelEntry model(JsonNode node, String at) {
    return new ModelEntries(this).read(node, at);
  }

  private ClientEntry client(JsonNode node, String at) {
    Set<String> allowed = new java.util.HashSet<>(KeyFields.NAMES);
    allowed.addAll(Set.of("name", "key", "user"));
    onlyKeys(node, at, allowed);
    JsonNode user = node.get("user");
    if (user != null && !user.isNull() && (!user.isTextual() || user.asText().isBlank())) {
      throw fail(at + ".user must be the name of a user");
    }
    KeyFields.Values policy;
    try {
      policy = KeyFields.read(node, at + ".");
    } catch (ConfigException e) {
      throw fail(e.getMessage());
    }
    return new ClientEntry(name(node, at, Names.KEY), Secret.of(required(node, at, "key")),
        user == null || user.isNull() ? null : user.asText().strip(), policy);
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

  boolean bool(JsonNode node, String at, String key) {
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
