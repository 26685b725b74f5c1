package io.tollgate.filter;

import io.tollgate.Gateway;
import io.tollgate.config.GatewayConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a request body up to MAX_BODY_BYTES into memory and hands it on, as JSON whatever type was declared. A body
 * that has already arrived whole is taken at once on this thread; the rest is read by {@link BodyReader} without
 * holding a thread, within BODY_READ_TIMEOUT, and the request dispatched again with its body. A larger body gets a
 * 413. A multipart upload to a path of {@code upload-paths} is not held in memory: {@link UploadReader} spools it,
 * within MAX_UPLOAD_BYTES, and the request goes on with the form.
 */
public final class BodyLimitFilter extends HttpFilter {
  public static final String BODY = "io.tollgate.body";
  /** The {@link io.tollgate.upstream.MultipartForm} of a streamed upload, once whole. */
  public static final String FORM = "io.tollgate.form";

  private long max;
  private long timeoutMillis;
  private long maxUpload;
  private Path uploadDir;
  private List<String> uploadPaths;

  @Override
  public void init() {
    GatewayConfig config = Gateway.from(getServletContext()).config();
    max = config.maxBodyBytes();
    timeoutMillis = config.bodyReadTimeout().toMillis();
    maxUpload = config.uploads().maxBytes();
    uploadDir = config.uploads().dir() != null ? config.uploads().dir() : containerTemp().resolve("tollgate-uploads");
    String paths = getInitParameter("upload-paths");
    uploadPaths = paths == null ? List.of() : List.of(paths.trim().split("\\s+"));
  }

  private Path containerTemp() {
    Object dir = getServletContext().getAttribute(ServletContext.TEMPDIR);
    return dir instanceof File f ? f.toPath() : Path.of(System.getProperty("java.io.tmpdir"));
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      Object body = request.getAttribute(BODY);
      chain.doFilter(body instanceof byte[] b ? new BufferedBodyRequest(request, b) : request, response);
      return;
    }
    if (!hasBody(request)) {
      chain.doFilter(request, response);
      return;
    }
    boolean upload = upload(request);
    long limit = upload ? maxUpload : max;
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      if (expectsContinue(request)) {
        // The client waits for a 100 that never comes: the container closes without reading the body.
        response.setHeader("Connection", "close");
        ClientErrors.write(request, response, ClientErrors.tooLarge(limit));
      } else {
        BodyReader.start(request, response, null, limit, timeoutMillis);
      }
      return;
    }
    if (upload) {
      UploadReader.start(request, response, maxUpload, timeoutMillis, uploadDir);
      return;
    }
    BodyBuffer body = new BodyBuffer(declared, max);
    if (declared > 0 && !expectsContinue(request) && readArrived(request.getInputStream(), body)) {
      byte[] bytes = body.bytes();
      request.setAttribute(BODY, bytes);
      chain.doFilter(new BufferedBodyRequest(request, bytes), response);
      return;
    }
    BodyReader.start(request, response, body, max, timeoutMillis);
  }

  /** Reads what has already arrived without blocking; true when that is the whole body. */
  private static boolean readArrived(ServletInputStream in, BodyBuffer body) throws IOException {
    while (!body.full() && in.available() > 0) {
      if (body.readFrom(in) < 0) {
        return false;
      }
    }
    return body.full();
  }

  static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  private static boolean expectsContinue(HttpServletRequest request) {
    String expect = request.getHeader("Expect");
    return expect != null && expect.equalsIgnoreCase("100-continue");
  }

  /** A multipart body to a path that streams uploads (web.xml's upload-paths, suffixes of the servlet path). */
  private boolean upload(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
      return false;
    }
    String path = request.getServletPath();
    for (String suffix : uploadPaths) {
      if (path.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

}
