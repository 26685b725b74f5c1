package io.tollgate.routing;

import io.tollgate.config.ProviderOptions;
import io.tollgate.config.Secret;
import io.tollgate.upstream.ConversationPrelude;
import io.tollgate.upstream.UpstreamLink;
import java.util.List;
import java.util.Map;

/**
 * One upstream: its type (openai, echo, ...), base URL and pool of credentials. With {@code passthrough} the
 * caller's own bearer token goes upstream instead of a pooled key. {@code options} are type-specific settings
 * (Azure's {@code api_version}, for example).
 */
public record Provider(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
    boolean stripSkPrefix, Map<String, String> options, UpstreamLink link) {
  public Provider {
    apiKeys = List.copyOf(apiKeys);
    // Adapters build URIs from the base URL: the conversation placeholder travels URI-encoded until it is filled.
    baseUrl = baseUrl == null ? null : baseUrl.replace(ConversationPrelude.PLACEHOLDER, ConversationPrelude.IN_URI);
    options = Map.copyOf(options);
  }

  /** With the link its options describe (checked when they were stored). */
  public Provider(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
      boolean stripSkPrefix, Map<String, String> options) {
    this(name, type, baseUrl, apiKeys, passthrough, stripSkPrefix, options, ProviderOptions.link(name, options));
  }

  public Provider(String name, String type, String baseUrl, List<Secret> apiKeys, boolean passthrough,
      boolean stripSkPrefix) {
    this(name, type, baseUrl, apiKeys, passthrough, stripSkPrefix, Map.of());
  }
}
