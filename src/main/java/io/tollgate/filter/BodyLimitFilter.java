package io.tollgate.filter;

import io.tollgate.Gateway;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body up to MAX_BODY_BYTES and hands it on in memory; a larger one gets a 413. The rest of an
 * oversized body is read and discarded first (up to a bound), because a stock Tomcat or Jetty resets a connection
 * whose unread body is large, and the client would never see the 413.
 */
public final class BodyLimitFilter extends HttpFilter {
  public static final String BODY = "io.tollgate.body";
  private static final long DRAIN_LIMIT = 256L * 1024 * 1024;
  private static final long DRAIN_MILLIS = 30_000;

  private long max;

  @Override
  public void init() {
    max = Gateway.from(getServletContext()).config().maxBodyBytes();
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!hasBody(request)) {
      chain.doFilter(request, response);
      return;
    }
    long declared = request.getContentLengthLong();
    byte[] body = declared > max ? null : readUpTo(request.getInputStream(), declared, max);
    if (body == null) {
      drain(request.getInputStream());
      response.setHeader("Connection", "close");
      OpenAiErrors.write(response, GatewayException.of(ErrorType.REQUEST_TOO_LARGE,
          "The request body is larger than the limit of " + max + " bytes."));
      return;
    }
    request.setAttribute(BODY, body);
    chain.doFilter(new BufferedBodyRequest(request, body), response);
  }

  private static boolean hasBody(HttpServletRequest request) {
    String m = request.getMethod();
    return ("POST".equals(m) || "PUT".equals(m) || "PATCH".equals(m))
        && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null);
  }

  /** The body, or null if it is longer than {@code limit}; read straight into its own array when its length is known. */
  private static byte[] readUpTo(InputStream in, long declared, long limit) throws IOException {
    if (declared >= 0) {
      byte[] body = new byte[(int) declared];
      int n = in.readNBytes(body, 0, body.length);
      return n == body.length ? body : Arrays.copyOf(body, n);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 16 * 1024));
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      total += n;
      if (total > limit) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void drain(ServletInputStream in) {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
    try {
      int n;
      while ((n = in.read(buf)) != -1 && (total += n) < DRAIN_LIMIT && System.currentTimeMillis() < deadline) {
        // discard
      }
    } catch (IOException clientGone) {
      // the client stopped sending; the 413 may still reach it
    }
  }
}
