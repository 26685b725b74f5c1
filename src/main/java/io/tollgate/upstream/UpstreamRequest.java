package io.tollgate.upstream;

import java.net.URI;
import java.util.Map;

/** One call to an upstream: a JSON POST when there is a body, else a GET. */
public record UpstreamRequest(URI uri, Map<String, String> headers, byte[] body, boolean stream) {
}
