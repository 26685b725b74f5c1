package io.tollgate.filter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.tollgate.openai.Ids;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Honours a sane incoming X-Request-Id or makes one, echoes it on the response and puts it in the MDC, also on the
 * threads a request is dispatched to again.
 */
public final class RequestIdFilter extends HttpFilter {
  public static final String ATTRIBUTE = "io.tollgate.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String id;
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      String incoming = request.getHeader("X-Request-Id");
      id = incoming != null && SANE.matcher(incoming).matches() ? incoming : Ids.random("req_");
      request.setAttribute(ATTRIBUTE, id);
      response.setHeader("X-Request-Id", id);
    } else {
      id = String.valueOf(request.getAttribute(ATTRIBUTE)); // dispatched again: the same request, on a new thread
    }
    MDC.put("request_id", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("request_id");
    }
  }
}
