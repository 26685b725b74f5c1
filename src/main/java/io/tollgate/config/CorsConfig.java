package io.tollgate.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which browser origins may call the gateway, with which methods and request headers (docs/CONFIG.md "Browsers").
 * An empty origin list turns CORS off; {@code *} in the origins allows any; {@code *} as the headers allows whatever
 * a preflight asks for, since a wildcard alone would not cover {@code Authorization}.
 */
public record CorsConfig(List<String> origins, String methods, List<String> headers) {
  static final String DEFAULT_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
  static final String DEFAULT_HEADERS = "Authorization, Content-Type, X-API-Key, api-key, X-Request-Id, traceparent, "
      + "tracestate, OpenAI-Organization, OpenAI-Project, OpenAI-Beta, X-Stainless-Arch, X-Stainless-Lang, "
      + "X-Stainless-OS, X-Stainless-Package-Version, X-Stainless-Runtime, X-Stainless-Runtime-Version, "
      + "X-Stainless-Retry-Count, X-Stainless-Timeout, Anthropic-Version, Anthropic-Beta, "
      + "Anthropic-Dangerous-Direct-Browser-Access, X-Session-Id, Cache-Control";
  private static final Pattern ORIGIN =
      Pattern.compile("https?://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:\\d{1,5})?");
  /** An HTTP token (RFC 9110): what a method or header name may be, so nothing can be injected through one. */
  public static final String TOKEN_CHARS = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
  private static final Pattern TOKEN = Pattern.compile(TOKEN_CHARS);

  public CorsConfig {
    origins = List.copyOf(origins);
    headers = List.copyOf(headers);
  }

  public boolean anyOrigin() {
    return origins.contains("*");
  }

  public boolean anyHeader() {
    return headers.contains("*");
  }

  static CorsConfig read(Settings s) {
    String origins = originsSetting(s);
    List<String> originList = list(origins).stream().map(o -> o.equals("*") ? o : origin(o)).toList();
    List<String> methods = list(s.nonBlank("CORS_ALLOWED_METHODS").orElse(DEFAULT_METHODS));
    methods.forEach(m -> token("CORS_ALLOWED_METHODS", m));
    List<String> headers = list(s.nonBlank("CORS_ALLOWED_HEADERS").orElse(DEFAULT_HEADERS));
    headers.forEach(h -> token("CORS_ALLOWED_HEADERS", h));
    return new CorsConfig(originList, String.join(", ", methods), headers);
  }

  /** CORS_ORIGINS is the older name; both set to different lists is a mistake worth stopping for. */
  private static String originsSetting(Settings s) {
    String current = s.string("CORS_ALLOWED_ORIGINS").orElse(null);
    String alias = s.string("CORS_ORIGINS").orElse(null);
    if (current != null && alias != null && !list(current).equals(list(alias))) {
      throw new ConfigException("CORS_ALLOWED_ORIGINS and its older name CORS_ORIGINS are both set, to different"
          + " lists: keep CORS_ALLOWED_ORIGINS only");
    }
    return current != null ? current : alias != null ? alias : "*";
  }

  private static List<String> list(String raw) {
    return Arrays.stream(raw.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  /** Browsers send an origin as scheme, host and port only, in lower case; a list entry must match that form. */
  private static String origin(String entry) {
    String lower = entry.toLowerCase(Locale.ROOT);
    String bare = lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    if (!ORIGIN.matcher(bare).matches()) {
      throw new ConfigException("CORS_ALLOWED_ORIGINS entries must be * or an origin such as https://app.example.com"
          + " (scheme, host and port, no path)");
    }
    return bare;
  }

  private static void token(String key, String value) {
    if (!TOKEN.matcher(value).matches()) {
      throw new ConfigException(key + " must be a comma-separated list of names (or *)");
    }
  }
}
