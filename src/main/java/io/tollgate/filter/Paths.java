package io.tollgate.filter;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/** Which paths are open without a key, and which are the admin API. */
final class Paths {
  private static final Set<String> OPEN = Set.of("/", "", "/healthz", "/health", "/metrics", "/docs",
      "/openapi.json", "/favicon.ico");

  private Paths() {
  }

  /** The path below the context path, without the query string. */
  static String of(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  static boolean open(String path) {
    return OPEN.contains(path) || path.startsWith("/console/") || path.equals("/console");
  }

  static boolean admin(String path) {
    return path.equals("/admin") || path.startsWith("/admin/");
  }

  static boolean preflight(HttpServletRequest request) {
    return "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null;
  }
}
