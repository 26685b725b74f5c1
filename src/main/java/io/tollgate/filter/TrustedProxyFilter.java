package io.tollgate.filter;

import io.tollgate.config.AddressRange;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;

/**
 * Believes X-Forwarded-* only from the proxies named in TRUSTED_PROXIES: every later filter, the access log, key
 * address rules and generated links then see the client as it reached the first proxy. Added ahead of web.xml's
 * filters, and only when proxies are configured: without them the request path has one filter less.
 */
public final class TrustedProxyFilter extends HttpFilter {
  private static final String ATTRIBUTE = "io.tollgate.forwardedClient";

  private final transient List<AddressRange> trusted;

  private TrustedProxyFilter(List<AddressRange> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /** Called by the composition root while the context starts, the one moment filters may be added. */
  public static void register(ServletContext context, List<AddressRange> trusted) {
    if (trusted.isEmpty()) {
      return;
    }
    FilterRegistration.Dynamic filter = context.addFilter("trustedProxy", new TrustedProxyFilter(trusted));
    filter.setAsyncSupported(true);
    filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (alreadyForwarded(request)) {
      chain.doFilter(request, response);
      return;
    }
    ForwardedRequest.Client client;
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      client = ForwardedRequest.resolve(request, trusted);
      request.setAttribute(ATTRIBUTE, client);
    } else {
      // Dispatched again after its body was read: the container hands over its own request, not the wrapper.
      client = (ForwardedRequest.Client) request.getAttribute(ATTRIBUTE);
    }
    chain.doFilter(client == null ? request : new ForwardedRequest(request, client), response);
  }

  private static boolean alreadyForwarded(ServletRequest request) {
    for (ServletRequest r = request; r != null;
        r = r instanceof ServletRequestWrapper w ? w.getRequest() : null) {
      if (r instanceof ForwardedRequest) {
        return true;
      }
    }
    return false;
  }
}
