package io.tollgate.provider;

import io.tollgate.config.Secret;
import io.tollgate.upstream.Abort;
import io.tollgate.upstream.UpstreamLink;
import java.util.Map;

/**
 * Where one request goes: the provider (by name and adapter type), its base URL, the model name sent upstream
 * and the credential for this call (a pooled key, the caller's own token for pass-through, or none), with the
 * provider's type-specific options and the model entry's capabilities.
 */
public record Route(String publicModel, String provider, String type, String baseUrl, String upstreamModel,
    Secret credential, boolean passthrough, Map<String, String> options, ModelCapabilities capabilities,
    UpstreamLink link) {

  public Route {
    options = options == null ? Map.of() : options;
    capabilities = capabilities == null ? ModelCapabilities.DEFAULT : capabilities;
    link = link == null ? UpstreamLink.of(provider) : link;
  }

  public Route(String publicModel, String provider, String type, String baseUrl, String upstreamModel,
      Secret credential, boolean passthrough, Map<String, String> options, ModelCapabilities capabilities) {
    this(publicModel, provider, type, baseUrl, upstreamModel, credential, passthrough, options, capabilities, null);
  }

  public Route(String publicModel, String provider, String type, String baseUrl, String upstreamModel,
      Secret credential, boolean passthrough, Map<String, String> options) {
    this(publicModel, provider, type, baseUrl, upstreamModel, credential, passthrough, options,
        ModelCapabilities.DEFAULT);
  }

  public Route(String publicModel, String provider, String type, String baseUrl, String upstreamModel,
      Secret credential, boolean passthrough) {
    this(publicModel, provider, type, baseUrl, upstreamModel, credential, passthrough, Map.of());
  }

  /** The same route for one attempt: its answer begun by {@code deadlineNanos} (0: no limit), stopped by abort. */
  public Route forAttempt(long deadlineNanos, Abort abort) {
    return new Route(publicModel, provider, type, baseUrl, upstreamModel, credential, passthrough, options,
        capabilities, link.forAttempt(deadlineNanos, abort));
  }

  /** A provider setting, or the fallback when the provider does not set it. */
  public String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
