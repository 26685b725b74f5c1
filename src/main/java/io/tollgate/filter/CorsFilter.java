package io.tollgate.filter;

import io.tollgate.Gateway;
import io.tollgate.config.CorsConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Lets browser apps call the API: answers CORS preflight requests itself (no key needed) and marks every answer
 * with the allowed origin. An origin not in CORS_ALLOWED_ORIGINS gets no CORS header, so the browser refuses.
 */
public final class CorsFilter extends HttpFilter {
  private static final String EXPOSED =
      "X-Request-Id, Retry-After, X-Tollgate-Warning, X-Tollgate-Cost-Usd, X-Tollgate-Cache";
  /** Header names a preflight may ask for when every header is allowed: tokens only, nothing to inject. */
  private static final Pattern NAMES = Pattern.compile(
      CorsConfig.TOKEN_CHARS + "(\\s*,\\s*" + CorsConfig.TOKEN_CHARS + ")*");

  private CorsConfig cors;
  private String allowedHeaders;

  @Override
  public void init() {
    cors = Gateway.from(getServletContext()).config().cors();
    allowedHeaders = String.join(", ", cors.headers());
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    String allowed = origin == null ? null : allowed(origin);
    if (allowed != null) {
      response.setHeader("Access-Control-Allow-Origin", allowed);
      response.setHeader("Access-Control-Expose-Headers", EXPOSED);
    }
    if (origin != null && !cors.anyOrigin()) {
      response.addHeader("Vary", "Origin");
    }
    if (Paths.preflight(request)) {
      if (allowed != null) {
        response.setHeader("Access-Control-Allow-Methods", cors.methods());
        String headers = headers(request.getHeader("Access-Control-Request-Headers"));
        if (headers != null) {
          response.setHeader("Access-Control-Allow-Headers", headers);
        }
        response.setHeader("Access-Control-Max-Age", "86400");
      }
      response.setStatus(204);
      return;
    }
    chain.doFilter(request, response);
  }

  private String allowed(String origin) {
    if (cors.anyOrigin()) {
      return "*";
    }
    return cors.origins().contains(origin) ? origin : null;
  }

  private String headers(String requested) {
    if (!cors.anyHeader()) {
      return allowedHeaders;
    }
    return requested != null && requested.length() <= 2000 && NAMES.matcher(requested.strip()).matches()
        ? requested.strip() : null;
  }
}
