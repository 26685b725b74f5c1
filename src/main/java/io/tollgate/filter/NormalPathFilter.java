package io.tollgate.filter;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses with a 400 any request whose path is not already in normal form: path parameters, dot segments, doubled
 * slashes, backslashes, control characters, or encoded forms of any of them. Every later decision (which paths are
 * open, which are admin) is then taken on the same path the container and Jersey route on: a trick such as
 * {@code /console/../v1/chat/completions} or {@code /admin;x=1/keys} never reaches them.
 */
public final class NormalPathFilter extends HttpFilter {
  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String raw = Paths.raw(request);
    if (!NormalPaths.isNormal(raw) || !NormalPaths.routedAsSent(raw, Paths.of(request))) {
      ClientErrors.refuse(request, response, GatewayException.of(ErrorType.INVALID_REQUEST,
          "The request path is not in normal form: send it without path parameters (;), dot segments, doubled "
              + "slashes or encoded separators."));
      return;
    }
    chain.doFilter(request, response);
  }
}
