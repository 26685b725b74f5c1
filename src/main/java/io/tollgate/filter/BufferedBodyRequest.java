package io.tollgate.filter;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A request whose body was already read into memory by {@link BodyLimitFilter}. The body is one stream, read once,
 * as the container's own would be; and it is JSON whatever type the client declared (curl's {@code -d} says
 * form-urlencoded), so nothing downstream parses it as a form. Only multipart bodies keep their type.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {
  private static final String JSON = "application/json";

  private final byte[] body;
  private final String contentType;
  private ServletInputStream stream;
  private BufferedReader reader;

  BufferedBodyRequest(HttpServletRequest request, byte[] body) {
    super(request);
    this.body = body;
    String declared = request.getContentType();
    this.contentType = declared != null && (declared.regionMatches(true, 0, "multipart/", 0, 10)
        || declared.regionMatches(true, 0, JSON, 0, JSON.length())) ? declared : JSON;
  }

  @Override
  public ServletInputStream getInputStream() {
    if (stream == null) {
      stream = new BodyStream(new ByteArrayInputStream(body));
    }
    return stream;
  }

  @Override
  public BufferedReader getReader() {
    if (reader == null) {
      reader = new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
    return reader;
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public String getContentType() {
    return contentType;
  }

  @Override
  public String getHeader(String name) {
    if ("Content-Type".equalsIgnoreCase(name)) {
      return contentType;
    }
    if ("Content-Length".equalsIgnoreCase(name)) {
      return Integer.toString(body.length);
    }
    return super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    if ("Content-Type".equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name)) {
      return Collections.enumeration(Collections.singletonList(getHeader(name)));
    }
    return super.getHeaders(name);
  }

  private static final class BodyStream extends ServletInputStream {
    private final ByteArrayInputStream in;

    BodyStream(ByteArrayInputStream in) {
      this.in = in;
    }

    @Override
    public boolean isFinished() {
      return in.available() == 0;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
      throw new IllegalStateException("the body is already in memory; read it directly");
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, len);
    }

    @Override
    public int available() {
      return in.available();
    }
  }
}
