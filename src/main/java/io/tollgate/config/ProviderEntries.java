package io.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.BootstrapFile.ProviderEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules of a provider entry, for the bootstrap file and the admin API alike: its name, type, base URL, keys,
 * and options (with the shorthand keys and the {@code headers:} mappings that go into them), checked as the
 * upstream link will read them.
 */
final class ProviderEntries {
  private static final Set<String> PROVIDER_KEYS = Set.of("name", "type", "base_url", "api_keys", "api_key",
      "passthrough", "strip_sk_prefix", "options", "api_version", "anthropic_version");
  private static final Map<String, String> HEADER_GROUPS = Map.of("headers", "header", "conversation_headers",
      "conversation_header");
  private static final List<String> OPTION_SHORTHANDS = List.of("api_version", "anthropic_version");
  private final BootstrapParser p;

  ProviderEntries(BootstrapParser parser) {
    this.p = parser;
  }

  ProviderEntry read(JsonNode node, String at) {
    p.onlyKeys(node, at, PROVIDER_KEYS);
    String name = p.name(node, at, Names.PROVIDER);
    String type = p.required(node, at, "type").toLowerCase(Locale.ROOT);
    if (!BootstrapFile.PROVIDER_TYPES.contains(type)) {
      throw p.fail(BootstrapParser.key(at, "type") + " must be one of "
          + String.join(", ", BootstrapFile.PROVIDER_TYPES));
    }
    String baseUrl = p.optional(node, at, "base_url");
    if (baseUrl == null && !type.equals("echo")) {
      throw p.fail(BootstrapParser.key(at, "base_url") + " is required for type " + type);
    }
    String url = baseUrl;
    baseUrl = url == null ? null : p.checked(() -> BaseUrls.check(url, BootstrapParser.key(at, "base_url")));
    Map<String, String> options = options(node, at);
    p.checked(() -> {
      ProviderOptions.check(name, type, options, at.isEmpty() ? "" : at + ".");
      ProviderOptions.checkBaseUrl(url, options, BootstrapParser.key(at, "base_url"));
      return null;
    });
    return new ProviderEntry(name, type, baseUrl, keys(node, at), p.bool(node, at, "passthrough"),
        p.bool(node, at, "strip_sk_prefix"), options);
  }

  private List<Secret> keys(JsonNode node, String at) {
    if (node.has("api_keys") && node.has("api_key")) {
      throw p.fail(BootstrapParser.key(at, "api_key") + " and api_keys are both set; use one");
    }
    List<Secret> keys = new ArrayList<>();
    if (node.has("api_key")) {
      keys.add(Secret.of(p.required(node, at, "api_key")));
    } else if (node.hasNonNull("api_keys")) {
      JsonNode list = node.get("api_keys");
      if (!list.isArray()) {
        throw p.fail(BootstrapParser.key(at, "api_keys") + " must be a list");
      }
      for (int i = 0; i < list.size(); i++) {
        String key = p.scalar(list.get(i), BootstrapParser.key(at, "api_keys[" + i + "]")).trim();
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
        throw p.fail(BootstrapParser.key(at, "options") + " must be a mapping of names to single values");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> option = it.next();
        if (HEADER_GROUPS.containsKey(option.getKey()) && option.getValue().isObject()) {
          headers(option.getValue(), BootstrapParser.key(at, "options." + option.getKey()),
              HEADER_GROUPS.get(option.getKey()), out);
          continue;
        }
        String value = p.scalar(option.getValue(), BootstrapParser.key(at, "options." + option.getKey())).trim();
        if (!value.isEmpty()) {
          out.put(option.getKey(), value);
        }
      }
    }
    for (String shorthand : OPTION_SHORTHANDS) {
      String value = p.optional(node, at, shorthand);
      if (node.has(shorthand) && options != null && options.has(shorthand)) {
        throw p.fail(BootstrapParser.key(at, shorthand) + " is also set under options; use one");
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
        throw p.fail(at + "." + header.getKey() + " is also set as options." + name + "; use one");
      }
      out.put(name, p.scalar(header.getValue(), at + "." + header.getKey()).trim());
    }
  }
}
