package io.tollgate.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.tollgate.openai.Ids;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/** Honours a sane incoming X-Request-Id or makes one, echoes it on the response and puts it in the MDC. */
public final class RequestIdFilter extends HttpFilter {
  public static final String ATTRIBUTE = "io.tollgate.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String incoming = request.getHeader("X-Request-Id");
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : Ids.random("req_");
    request.setAttribute(ATTRIBUTE, id);
    response.setHeader("X-Request-Id", id);
    MDC.put("request_id", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("request_id");
    }
  }
}
