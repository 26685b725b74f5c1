package io.tollgate.config;

import io.tollgate.upstream.ConversationPrelude;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An upstream's base URL: absolute http(s) with a host the HTTP client can connect to, and nothing the gateway
 * would append paths after (a query or a fragment) or show in listings (user:password).
 */
final class BaseUrls {
  private BaseUrls() {
  }

  /** The URL without trailing slashes, or a {@link ConfigException} whose message starts with {@code key}. */
  static String check(String url, String key) {
    String problem = url.length() > 2000 ? "is longer than 2000 characters" : problem(url);
    if (problem == null && url.contains(ConversationPrelude.PLACEHOLDER)) {
      // A conversation's id goes into the path; checked as a plain segment would be, and only in the path.
      String sample = url.replace(ConversationPrelude.PLACEHOLDER, "conversation-id");
      problem = problem(sample);
      if (problem == null && !URI.create(sample).getRawPath().contains("conversation-id")) {
        problem = "may hold " + ConversationPrelude.PLACEHOLDER + " only in its path";
      }
    }
    if (problem != null) {
      throw new ConfigException(key + " " + problem);
    }
    return url.replaceAll("/+$", "");
  }

  /** Why the URL cannot be used, or null when it can. */
  private static String problem(String url) {
    if (url.contains(ConversationPrelude.PLACEHOLDER)) {
      return null; // checked with a sample id in its place
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "must be an http:// or https:// URL (not a valid URL at index " + e.getIndex() + ")";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.isOpaque()) {
      return "must be an http:// or https:// URL";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "must be an http:// or https:// URL with a host name the gateway can connect to"
          + " (letters, digits, '-' and '.', or an IP address)";
    }
    if (uri.getPort() > 65535) {
      return "has a port above 65535";
    }
    if (uri.getRawUserInfo() != null) {
      return "must not hold a user name or password; put credentials in api_keys";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a query (?) or fragment (#); the gateway appends paths to it";
    }
    return null;
  }
}
