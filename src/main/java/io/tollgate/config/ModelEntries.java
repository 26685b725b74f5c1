package io.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.BootstrapFile.ModelEntry;
import io.tollgate.config.BootstrapFile.TargetEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a model entry, for the bootstrap file and the admin API alike: its name or pattern, targets,
 * aliases and capabilities, and that no public name (a name or an alias) belongs to two entries.
 */
final class ModelEntries {
  private static final Set<String> KEYS = Set.of("name", "targets", "aliases", "max_tokens", "supports_streaming",
      "supports_tools");
  private final BootstrapParser p;

  ModelEntries(BootstrapParser parser) {
    this.p = parser;
  }

  ModelEntry read(JsonNode node, String at) {
    p.onlyKeys(node, at, KEYS);
    String name = p.name(node, at, Names.MODEL);
    boolean pattern = name.indexOf('*') >= 0;
    return new ModelEntry(name, targets(node, at, name, pattern), aliases(node, at, name, pattern),
        maxTokens(node, at), p.bool(node, at, "supports_streaming", true), p.bool(node, at, "supports_tools", true));
  }

  private List<TargetEntry> targets(JsonNode node, String at, String name, boolean pattern) {
    JsonNode list = node.get("targets");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw p.fail(BootstrapParser.key(at, "targets") + " must be a list of at least one {provider, model}");
    }
    List<TargetEntry> targets = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String t = BootstrapParser.key(at, "targets[" + i + "]");
      JsonNode target = list.get(i);
      if (!target.isObject()) {
        throw p.fail(t + " must be a mapping with provider and model");
      }
      p.onlyKeys(target, t, Set.of("provider", "model", "priority", "weight"));
      String provider = p.required(target, t, "provider");
      String model = p.optional(target, t, "model");
      if (model != null && !model.equals(TargetEntry.PASS_THROUGH) && model.indexOf('*') >= 0) {
        throw p.fail(BootstrapParser.key(t, "model") + " may be * (send the requested name) but not contain one");
      }
      // A pattern passes the requested name through unless told otherwise; an exact name sends itself.
      if (model == null || model.equals(TargetEntry.PASS_THROUGH)) {
        model = pattern ? TargetEntry.PASS_THROUGH : name;
      }
      Integer priority = wholeNumber(target, t, "priority", 0, 1000);
      Integer weight = wholeNumber(target, t, "weight", 1, 1000);
      targets.add(new TargetEntry(provider, model, priority, weight));
    }
    return targets;
  }

  private List<String> aliases(JsonNode node, String at, String name, boolean pattern) {
    JsonNode list = node.get("aliases");
    if (list == null || list.isNull()) {
      return List.of();
    }
    String key = BootstrapParser.key(at, "aliases");
    if (!list.isArray()) {
      throw p.fail(key + " must be a list of names");
    }
    if (pattern && !list.isEmpty()) {
      throw p.fail(key + " are for exact names; '" + name + "' is a pattern, which matches many names already");
    }
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String a = key + "[" + i + "]";
      String given = p.scalar(list.get(i), a);
      String alias = p.checked(() -> Names.MODEL.check(given, a));
      if (alias.indexOf('*') >= 0) {
        throw p.fail(a + " '" + alias + "' must be an exact name, without *");
      }
      if (alias.equals(name) || aliases.contains(alias)) {
        throw p.fail(a + " '" + alias + "' is " + (alias.equals(name) ? "the entry's own name" : "listed twice"));
      }
      aliases.add(alias);
    }
    return aliases;
  }

  private Integer wholeNumber(JsonNode node, String at, String field, int min, int max) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String key = BootstrapParser.key(at, field);
    String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? p.scalar(value, key).trim() : "";
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw p.fail(key + " must be a whole number from " + min + " to " + max);
  }

  private Integer maxTokens(JsonNode node, String at) {
    JsonNode value = node.get("max_tokens");
    if (value == null || value.isNull()) {
      return null;
    }
    String key = BootstrapParser.key(at, "max_tokens");
    String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? p.scalar(value, key).trim() : "";
    try {
      int n = Integer.parseInt(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw p.fail(key + " must be a whole number of at least 1");
  }

  /** In a file: no entry's name or alias may be another entry's name or alias ("models[2].aliases[0] ..."). */
  static void checkNames(BootstrapParser parser, List<ModelEntry> models) {
    Map<String, String> taken = new HashMap<>();
    for (int i = 0; i < models.size(); i++) {
      claim(parser, models.get(i), "models[" + i + "]", "models[" + i + "]", taken);
    }
  }

  /** One entry against others (the admin API's stored models): its names must be free. */
  static void checkNamesFree(BootstrapParser parser, ModelEntry entry, List<ModelEntry> others) {
    Map<String, String> taken = new HashMap<>();
    others.forEach(o -> claim(parser, o, null, "model '" + o.name() + "'", taken));
    claim(parser, entry, "", "", taken);
  }

  /** Takes the entry's names, or fails naming the first one already taken; {@code at} null skips the checks. */
  private static void claim(BootstrapParser p, ModelEntry entry, String at, String owner, Map<String, String> taken) {
    List<String> keys = new ArrayList<>();
    keys.add("name");
    for (int i = 0; i < entry.aliases().size(); i++) {
      keys.add("aliases[" + i + "]");
    }
    List<String> names = new ArrayList<>();
    names.add(entry.name());
    names.addAll(entry.aliases());
    for (int i = 0; i < names.size(); i++) {
      String holder = taken.get(names.get(i));
      if (holder != null && at != null) {
        throw p.fail(BootstrapParser.key(at, keys.get(i)) + " '" + names.get(i) + "' is already " + holder);
      }
    }
    taken.putIfAbsent(entry.name(), "the name of " + owner);
    entry.aliases().forEach(a -> taken.putIfAbsent(a, "an alias of " + owner));
  }
}
