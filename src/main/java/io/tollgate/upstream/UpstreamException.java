package io.tollgate.upstream;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
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

  /** From a Jetty response's fields; only error answers pay for the copy. */
  static UpstreamException of(int status, HttpFields fields, byte[] body) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (HttpField f : fields) {
      map.computeIfAbsent(f.getName(), n -> new ArrayList<>()).add(f.getValue());
    }
    return new UpstreamException(status, HttpHeaders.of(map, (name, value) -> true), body);
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
