package io.tollgate.filter;

import io.tollgate.config.AddressRange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A request that came through a trusted reverse proxy, seen as the client sent it: the client's address from
 * X-Forwarded-For, the scheme and host it used from X-Forwarded-Proto, -Host and -Port.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {
  private static final int MAX_HOPS = 20;
  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:\\d{1,5})?");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  /** What the proxy reported, resolved once per request and kept for the request's later dispatches. */
  record Client(String address, String scheme, String host, int port) {
  }

  private final Client client;

  ForwardedRequest(HttpServletRequest request, Client client) {
    super(request);
    this.client = client;
  }

  /** The client behind the proxies, or null when the peer is not a trusted proxy or reported nothing. */
  static Client resolve(HttpServletRequest request, List<AddressRange> trusted) {
    String peer = request.getRemoteAddr();
    if (!isTrusted(AddressRange.literal(peer), trusted)) {
      return null;
    }
    String address = clientAddress(request, peer, trusted);
    String proto = first(request.getHeader("X-Forwarded-Proto"));
    String scheme = "http".equalsIgnoreCase(proto) || "https".equalsIgnoreCase(proto)
        ? proto.toLowerCase(Locale.ROOT) : request.getScheme();
    String hostHeader = first(request.getHeader("X-Forwarded-Host"));
    String host = request.getServerName();
    int port = proto != null && !scheme.equals(request.getScheme()) ? defaultPort(scheme) : request.getServerPort();
    if (hostHeader != null && HOST.matcher(hostHeader).matches()) {
      int colon = hostHeader.lastIndexOf(':');
      boolean hasPort = colon > hostHeader.lastIndexOf(']');
      host = hasPort ? hostHeader.substring(0, colon) : hostHeader;
      port = hasPort ? validPort(hostHeader.substring(colon + 1), port) : defaultPort(scheme);
    }
    String portHeader = first(request.getHeader("X-Forwarded-Port"));
    if (portHeader != null && PORT.matcher(portHeader).matches()) {
      port = validPort(portHeader, port);
    }
    Client client = new Client(address, scheme, host, port);
    boolean same = address.equals(peer) && scheme.equals(request.getScheme()) && host.equals(request.getServerName())
        && port == request.getServerPort();
    return same ? null : client;
  }

  /**
   * Walks X-Forwarded-For from the nearest hop back: the first address that is not a trusted proxy is the client.
   * An entry that is not an address ends the walk, and the last good one stands: a client can prepend anything.
   */
  private static String clientAddress(HttpServletRequest request, String peer, List<AddressRange> trusted) {
    List<String> hops = new ArrayList<>();
    for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    String client = peer;
    for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
      String hop = bare(hops.get(i));
      byte[] literal = AddressRange.literal(hop);
      if (literal == null) {
        break;
      }
      client = hop;
      if (!isTrusted(literal, trusted)) {
        break;
      }
    }
    return client;
  }

  /** "[2001:db8::1]:4711" or "192.0.2.1:4711" as the address alone. */
  private static String bare(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }

  private static boolean isTrusted(byte[] address, List<AddressRange> trusted) {
    for (AddressRange range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The first of a comma-separated list: what the proxy nearest the client saw. */
  private static String first(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String value = (comma < 0 ? header : header.substring(0, comma)).strip();
    return value.isEmpty() ? null : value;
  }

  private static int validPort(String digits, int fallback) {
    int port = Integer.parseInt(digits);
    return port >= 1 && port <= 65535 ? port : fallback;
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  @Override
  public String getRemoteAddr() {
    return client.address();
  }

  @Override
  public String getRemoteHost() {
    return client.address(); // never a reverse lookup
  }

  @Override
  public String getScheme() {
    return client.scheme();
  }

  @Override
  public boolean isSecure() {
    return "https".equals(client.scheme());
  }

  @Override
  public String getServerName() {
    return client.host();
  }

  @Override
  public int getServerPort() {
    return client.port();
  }

  @Override
  public StringBuffer getRequestURL() {
    StringBuffer url = new StringBuffer(client.scheme()).append("://").append(client.host());
    if (client.port() != defaultPort(client.scheme())) {
      url.append(':').append(client.port());
    }
    return url.append(getRequestURI());
  }
}
