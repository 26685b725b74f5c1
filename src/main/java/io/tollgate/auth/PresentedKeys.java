package io.tollgate.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Where a client may put its key: Authorization: Bearer, X-API-Key, api-key, or the api_key query parameter. */
public final class PresentedKeys {
  private PresentedKeys() {
  }

  /** The candidate keys in the order they are tried; empty when the request carries none. */
  public static List<String> of(HttpServletRequest request) {
    List<String> keys = new ArrayList<>(2);
    add(keys, bearer(request));
    add(keys, request.getHeader("X-API-Key"));
    add(keys, request.getHeader("api-key"));
    add(keys, fromQuery(request.getQueryString()));
    return keys;
  }

  /**
   * The api_key query parameter, read from the query string itself: {@code getParameter} would also parse a form
   * body, consuming the body the request is about to be served with.
   */
  static String fromQuery(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("api_key=")) {
        try {
          return URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
          return null;
        }
      }
    }
    return null;
  }

  /** The Authorization header's token, with any "Bearer " prefix (any case) removed. */
  public static String bearer(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      h = h.substring(7).strip();
    }
    return h.isEmpty() ? null : h;
  }

  private static void add(List<String> keys, String value) {
    if (value != null && !value.isBlank() && !keys.contains(value.strip())) {
      keys.add(value.strip());
    }
  }
}
