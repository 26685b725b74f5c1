package io.tollgate.upstream;

import java.net.URI;
import java.util.Map;

/** One call to an upstream over a provider's link: a JSON POST when there is a body, else a GET. */
public record UpstreamRequest(UpstreamLink link, URI uri, Map<String, String> headers, byte[] body, boolean stream) {
}
