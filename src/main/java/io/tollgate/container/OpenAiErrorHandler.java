package io.tollgate.container;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's server-wide error handler as OpenAI's JSON envelope. Jetty answers a request it cannot parse (a head past
 * the connector's limits: 431) with the server's error handler, never the webapp's, so the WAR's error page cannot;
 * the webapp's own errors still go to its error page. No stack trace, no version.
 */
public final class OpenAiErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
      status = http.getCode();
      response.setStatus(status);
    }
    response.getHeaders().put(ERROR_CACHE_CONTROL);
    // A body for every method but HEAD (Jetty's own handler writes one for GET and POST only).
    if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(ConnectorErrors.json(status).getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
