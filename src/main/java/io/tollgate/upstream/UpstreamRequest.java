package io.tollgate.upstream;

import java.net.URI;
import java.util.Map;

/** One call to an upstream: a JSON POST when there is a body, else a GET. */
public record UpstreamRequest(URI uri, Map<String, String> headers, byte[] body, boolean stream) {

  /** host:port, for messages: never the path, which may carry a key (Gemini's ?key=). */
  String target() {
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }
}
