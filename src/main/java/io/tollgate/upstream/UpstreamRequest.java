package io.tollgate.upstream;

import java.net.URI;
import java.util.Map;

/** One call to an upstream over a provider's link: a POST when there is a body (JSON unless said), else a GET. */
public record UpstreamRequest(UpstreamLink link, URI uri, Map<String, String> headers, byte[] body, boolean stream,
    String contentType) {

  public UpstreamRequest(UpstreamLink link, URI uri, Map<String, String> headers, byte[] body, boolean stream) {
    this(link, uri, headers, body, stream, "application/json");
  }
}
