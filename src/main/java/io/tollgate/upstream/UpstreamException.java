package io.tollgate.upstream;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** The upstream answered with a status outside 2xx; its body is kept so its own message reaches the client. */
public final class UpstreamException extends RuntimeException {
  private final int status;
  private final HttpHeaders headers;
  private final byte[] body;

  public UpstreamException(int status, HttpHeaders headers, byte[] body) {
    super("upstream answered " + status, null, false, false);
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  public byte[] body() {
    return body;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
