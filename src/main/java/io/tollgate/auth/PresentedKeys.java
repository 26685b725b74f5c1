package io.tollgate.auth;

import jakarta.servlet.http.HttpServletRequest;
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
    if (request.getQueryString() != null && request.getQueryString().contains("api_key=")) {
      add(keys, request.getParameter("api_key"));
    }
    return keys;
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
