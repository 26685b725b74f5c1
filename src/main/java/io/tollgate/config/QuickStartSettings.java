package io.tollgate.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.config.GatewayConfig.QuickStart;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The single-upstream quick start: UPSTREAM_BASE_URL, UPSTREAM_TYPE, its keys (UPSTREAM_API_KEY and the older
 * proxies' TOKEN_POOL) and its model names (AVAILABLE_MODELS).
 */
final class QuickStartSettings {
  private QuickStartSettings() {
  }

  static QuickStart read(Settings s) {
    String baseUrl = s.nonBlank("UPSTREAM_BASE_URL").map(u -> BaseUrls.check(u, "UPSTREAM_BASE_URL")).orElse(null);
    String type = s.nonBlank("UPSTREAM_TYPE").map(t -> t.toLowerCase(Locale.ROOT)).orElse("openai");
    if (!QuickStart.TYPES.contains(type)) {
      throw new ConfigException("UPSTREAM_TYPE must be one of " + String.join(", ", QuickStart.TYPES));
    }
    Set<String> keys = new LinkedHashSet<>();
    s.string("UPSTREAM_API_KEY").or(() -> s.string("STATIC_API_KEY")).map(String::strip).ifPresent(keys::add);
    keys.addAll(list("TOKEN_POOL", s.nonBlank("TOKEN_POOL").orElse(null)));
    keys.remove("");
    List<String> models = list("AVAILABLE_MODELS", s.nonBlank("AVAILABLE_MODELS").orElse(null));
    models.forEach(m -> Names.MODEL.check(m, "AVAILABLE_MODELS"));
    if (baseUrl == null && (s.nonBlank("TOKEN_POOL").isPresent() || !models.isEmpty())) {
      throw new ConfigException("TOKEN_POOL and AVAILABLE_MODELS are for the single-upstream quick start: set"
          + " UPSTREAM_BASE_URL (BASE_URL in an env file) as well");
    }
    return new QuickStart(baseUrl, keys.stream().map(Secret::of).toList(), type, models);
  }

  /** A JSON array of strings, or a list separated by commas or line breaks; blanks dropped. */
  static List<String> list(String key, String raw) {
    if (raw == null) {
      return List.of();
    }
    String text = raw.strip();
    List<String> items;
    if (text.startsWith("[")) {
      try {
        items = new ObjectMapper().readValue(text, new TypeReference<List<String>>() { });
      } catch (Exception e) {
        throw new ConfigException(key + " must be a JSON array of strings or a list separated by commas or lines");
      }
    } else {
      items = Arrays.asList(text.split("[,\\r\\n]"));
    }
    return items.stream().map(i -> i == null ? "" : i.strip()).filter(i -> !i.isEmpty()).distinct().toList();
  }
}
