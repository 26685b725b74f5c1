package io.tollgate.inbound;

import io.tollgate.Gateway;
import io.tollgate.cache.ResponseCache;
import io.tollgate.cost.Billing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import io.tollgate.filter.BodyLimitFilter;
import io.tollgate.openai.Ids;
import io.tollgate.stream.OpenStreams;
import io.tollgate.stream.ResponseAbort;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What every POST endpoint of the API shares, in any dialect (chat and the other OpenAI endpoints, Anthropic's
 * Messages, OpenAI's Responses): the gateway's parts, the drain on shutdown, the buffered body, and errors answered
 * in the dialect's shape rather than the container's HTML page.
 */
public abstract class ApiServlet extends HttpServlet {
  protected transient Gateway gateway;
  protected transient Billing billing;
  protected transient ResponseCache cache;
  protected transient OpenStreams streams;

  @Override
  public void init() {
    gateway = Gateway.from(getServletContext());
    billing = new Billing(gateway.prices());
    cache = ResponseCache.from(getServletContext());
    streams = gateway.metrics().openStreams();
  }

  /** A container destroys servlets before it ends the context: open streams get their grace here already. */
  @Override
  public void destroy() {
    if (gateway != null) {
      gateway.drain().drain();
    }
  }

  /** Writes an error answer in the dialect's shape: OpenAI's, unless the dialect says otherwise. */
  protected void writeError(HttpServletResponse response, GatewayException e) throws IOException {
    OpenAiErrors.write(response, e);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    ResponseAbort.throwIfAborted(request); // a reply that broke mid-way comes back here to be cut (AsyncReply.abort)
    String method = request.getMethod();
    if ("POST".equals(method) || "OPTIONS".equals(method)) {
      super.service(request, response);
      return;
    }
    response.setHeader("Allow", "POST, OPTIONS");
    writeError(response, GatewayException.of(ErrorType.METHOD_NOT_ALLOWED,
        "Use POST for " + request.getRequestURI().substring(request.getContextPath().length())));
  }

  /** The request's log row (the access-log filter's), or a fresh one for a request that came past it. */
  protected static RequestLog log(HttpServletRequest request) {
    RequestLog found = (RequestLog) request.getAttribute(RequestLog.ATTRIBUTE);
    return found != null ? found : new RequestLog(Ids.random("req_"));
  }

  /** An error once the reply went async: logged, for the caller to end the reply with in its dialect. */
  protected static GatewayException failedAfterStart(RequestLog log, RuntimeException e) {
    GatewayException g = e instanceof GatewayException ge ? ge : log.internalError(e);
    log.error(g.getMessage());
    return g;
  }

  /** A request refused before it went async: logged, and answered in the dialect's shape. */
  protected void refuse(HttpServletResponse response, RequestLog log, RuntimeException e) throws IOException {
    GatewayException g = e instanceof GatewayException ge ? ge : log.internalError(e);
    log.error(g.getMessage());
    writeError(response, g);
  }

  protected static byte[] body(HttpServletRequest request) throws IOException {
    Object buffered = request.getAttribute(BodyLimitFilter.BODY);
    return buffered instanceof byte[] b ? b : request.getInputStream().readAllBytes();
  }
}
