package io.tollgate.routing;

import io.tollgate.config.Secret;
import java.util.List;

/**
 * One upstream: its type (openai, echo), base URL and pool of credentials. With {@code passthrough} the caller's
 * own bearer token goes upstream instead of a pooled key.
 */
public record Provider(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
    boolean stripSkPrefix) {
  public Provider {
    apiKeys = List.copyOf(apiKeys);
  }
}
