package io.tollgate.upstream;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.client.BasicAuthentication;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;

/**
 * Puts proxies on a client: a provider's own proxy for all its calls, or the environment's ({@code HTTPS_PROXY}
 * for https:// upstreams, {@code HTTP_PROXY} for http:// ones) except for hosts {@code NO_PROXY} names. Jetty asks
 * once per destination, not per request, so a client without proxies pays nothing.
 */
final class ProxyRoutes {
  private ProxyRoutes() {
  }

  static void apply(HttpClient http, UpstreamProxy own, UpstreamProxy https, UpstreamProxy plain, String noProxy) {
    if (own != null) {
      if (!own.none()) {
        add(http, own, null, List.of());
      }
      return;
    }
    List<String> bypass = noProxy == null ? List.of() : Arrays.stream(noProxy.split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    if (https != null && !https.none()) {
      add(http, https, "https", bypass);
    }
    if (plain != null && !plain.none()) {
      add(http, plain, "http", bypass);
    }
  }

  private static void add(HttpClient http, UpstreamProxy proxy, String scheme, List<String> bypass) {
    http.getProxyConfiguration().addProxy(new HttpProxy(new Origin.Address(proxy.host(), proxy.port()), false) {
      @Override
      public boolean matches(Origin origin) {
        // Never the proxy's own address: Jetty asks for the proxy's destination too.
        return !getAddress().equals(origin.getAddress()) && (scheme == null || scheme.equals(origin.getScheme()))
            && !bypassed(origin.getAddress().getHost(), origin.getAddress().getPort(), bypass);
      }
    });
    if (proxy.user() != null) {
      // Sent with the first request (plain HTTP) or the CONNECT (HTTPS): the 407 challenge handler is off.
      URI uri = URI.create("http://" + proxy.host() + ":" + proxy.port());
      http.getAuthenticationStore().addAuthenticationResult(new BasicAuthentication.BasicResult(uri,
          org.eclipse.jetty.http.HttpHeader.PROXY_AUTHORIZATION, proxy.user(), proxy.password().reveal()));
    }
  }

  /** curl's NO_PROXY rules: {@code *}, a host, a domain suffix ({@code example.com} or {@code .example.com}). */
  static boolean bypassed(String host, int port, List<String> bypass) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    for (String rule : bypass) {
      String r = rule;
      int colon = r.lastIndexOf(':');
      if (colon > 0 && r.indexOf(':') == colon && r.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        if (Integer.parseInt(r.substring(colon + 1)) != port) {
          continue;
        }
        r = r.substring(0, colon);
      }
      if (r.equals("*")) {
        return true;
      }
      r = r.startsWith("*.") ? r.substring(1) : r;
      String domain = r.startsWith(".") ? r.substring(1) : r;
      if (h.equals(domain) || h.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }
}
