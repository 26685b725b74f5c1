package io.tollgate.filter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.tollgate.openai.Ids;
import io.tollgate.trace.RequestMdc;
import io.tollgate.trace.TraceContext;
import java.util.Enumeration;
import java.util.regex.Pattern;

/**
 * Honours a sane incoming X-Request-Id or makes one, and echoes it on the response; joins the caller's W3C trace
 * (a valid traceparent) or starts one. Both go in the MDC, also on the threads a request is dispatched to again.
 */
public final class RequestIdFilter extends HttpFilter {
  public static final String ATTRIBUTE = "io.tollgate.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String id;
    TraceContext trace;
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      String incoming = request.getHeader("X-Request-Id");
      id = incoming != null && SANE.matcher(incoming).matches() ? incoming : Ids.random("req_");
      request.setAttribute(ATTRIBUTE, id);
      response.setHeader("X-Request-Id", id);
      trace = TraceContext.of(request.getHeader("traceparent"), traceState(request));
      request.setAttribute(TraceContext.ATTRIBUTE, trace);
    } else {
      id = String.valueOf(request.getAttribute(ATTRIBUTE)); // dispatched again: the same request, on a new thread
      trace = (TraceContext) request.getAttribute(TraceContext.ATTRIBUTE);
    }
    RequestMdc.put(id, trace);
    try {
      chain.doFilter(request, response);
    } finally {
      RequestMdc.clear();
    }
  }

  /** Several tracestate headers make one list, joined with commas (W3C trace context, section 3.3.1). */
  private static String traceState(HttpServletRequest request) {
    String first = request.getHeader("tracestate");
    if (first == null) {
      return null;
    }
    Enumeration<String> all = request.getHeaders("tracestate");
    all.nextElement();
    if (!all.hasMoreElements()) {
      return first;
    }
    StringBuilder joined = new StringBuilder(first);
    while (all.hasMoreElements()) {
      joined.append(',').append(all.nextElement());
    }
    return joined.toString();
  }
}
