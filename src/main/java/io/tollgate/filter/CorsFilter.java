package io.tollgate.filter;

import io.tollgate.Gateway;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Lets browser apps call the API: answers CORS preflight requests itself (no key needed) and marks every answer
 * with the allowed origin. CORS_ORIGINS is "*" by default, or a comma-separated list; empty turns CORS off.
 */
public final class CorsFilter extends HttpFilter {
  private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-API-Key, api-key, X-Request-Id, "
      + "OpenAI-Organization, OpenAI-Project, OpenAI-Beta, X-Stainless-Arch, X-Stainless-Lang, X-Stainless-OS, "
      + "X-Stainless-Package-Version, X-Stainless-Runtime, X-Stainless-Runtime-Version, X-Stainless-Retry-Count, "
      + "X-Stainless-Timeout, Anthropic-Version, Anthropic-Beta, Anthropic-Dangerous-Direct-Browser-Access, "
      + "X-Session-Id";

  private List<String> origins;

  @Override
  public void init() {
    origins = Gateway.from(getServletContext()).config().corsOrigins();
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    String allowed = origin == null ? null : allowed(origin);
    if (allowed != null) {
      response.setHeader("Access-Control-Allow-Origin", allowed);
      response.setHeader("Access-Control-Expose-Headers",
          "X-Request-Id, Retry-After, X-Tollgate-Warning, X-Tollgate-Cost-Usd, X-Tollgate-Cache");
      if (!"*".equals(allowed)) {
        response.addHeader("Vary", "Origin");
      }
    }
    if (Paths.preflight(request)) {
      if (allowed != null) {
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, PUT, PATCH, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        response.setHeader("Access-Control-Max-Age", "86400");
      }
      response.setStatus(204);
      return;
    }
    chain.doFilter(request, response);
  }

  private String allowed(String origin) {
    if (origins.contains("*")) {
      return "*";
    }
    return origins.contains(origin) ? origin : null;
  }
}
