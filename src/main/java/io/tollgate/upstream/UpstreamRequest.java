package io.tollgate.upstream;

import java.net.URI;
import java.util.Map;

/**
 * One call to an upstream over a provider's link: a POST when there is a body (JSON bytes, or an {@code upload} of
 * any type made anew per send), else a GET.
 */
public record UpstreamRequest(UpstreamLink link, URI uri, Map<String, String> headers, byte[] body, boolean stream,
    TypedBody upload) {

  public UpstreamRequest(UpstreamLink link, URI uri, Map<String, String> headers, byte[] body, boolean stream) {
    this(link, uri, headers, body, stream, null);
  }
}
