package io.tollgate.provider;

import io.tollgate.config.Secret;

/**
 * Where one request goes: the provider (by name and adapter type), its base URL, the model name sent upstream
 * and the credential for this call (a pooled key, the caller's own token for pass-through, or none).
 */
public record Route(String publicModel, String provider, String type, String baseUrl, String upstreamModel,
    Secret credential, boolean passthrough) {
}
