package io.tollgate.filter;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Which paths are open without a key, which are the admin API and which speak Anthropic's dialect, all decided on
 * the path the container routes on: decoded, path parameters removed, dot segments resolved.
 * {@link NormalPathFilter} has already refused any request whose raw path differs from it.
 */
final class Paths {
  private static final Set<String> OPEN = Set.of("/", "", "/healthz", "/health", "/metrics", "/docs",
      "/docs/swagger-initializer.js", "/openapi.json", "/favicon.ico");
  /** Swagger UI's files for /docs: web.xml maps this whole prefix to DocsServlet, which serves a fixed list. */
  private static final String SWAGGER_UI = "/webjars/swagger-ui/";
  private static final Set<String> MESSAGES = Set.of("/v1/messages", "/messages", "/api/v1/messages",
      "/v1/messages/count_tokens", "/messages/count_tokens", "/api/v1/messages/count_tokens");

  private Paths() {
  }

  /** The routed path below the context path, without the query string. */
  static String of(HttpServletRequest request) {
    String info = request.getPathInfo();
    return info == null ? request.getServletPath() : request.getServletPath() + info;
  }

  /** The path below the context path exactly as the client sent it, still encoded. */
  static String raw(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return uri.startsWith(context) ? uri.substring(context.length()) : uri;
  }

  static boolean open(String path) {
    return OPEN.contains(path) || path.startsWith(SWAGGER_UI) || path.startsWith("/console/")
        || path.equals("/console");
  }

  static boolean admin(String path) {
    return path.equals("/admin") || path.startsWith("/admin/") || path.equals("/api/v1/admin")
        || path.startsWith("/api/v1/admin/");
  }

  static boolean messages(String path) {
    return MESSAGES.contains(path);
  }

  static boolean preflight(HttpServletRequest request) {
    return "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null;
  }
}
