package io.tollgate.routing;

import io.tollgate.config.Secret;
import java.util.List;
import java.util.Map;

/**
 * One upstream: its type (openai, echo, ...), base URL and pool of credentials. With {@code passthrough} the
 * caller's own bearer token goes upstream instead of a pooled key. {@code options} are type-specific settings
 * (Azure's {@code api_version}, for example).
 */
public record Provider(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
    boolean stripSkPrefix, Map<String, String> options) {
  public Provider {
    apiKeys = List.copyOf(apiKeys);
    options = Map.copyOf(options);
  }

  public Provider(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
      boolean stripSkPrefix) {
    this(name, type, baseUrl, apiKeys, passthrough, stripSkPrefix, Map.of());
  }
}
