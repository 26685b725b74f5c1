package io.tollgate.inbound.anthropic;

import io.tollgate.Gateway;
import io.tollgate.error.AnthropicErrors;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.error.InternalErrors;
import io.tollgate.filter.ApiKeyAuthFilter;
import io.tollgate.filter.BodyLimitFilter;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.provider.anthropic.AnthropicAdapter;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * POST /v1/messages and /v1/messages/count_tokens: Anthropic's Messages API in front of every provider type, for
 * the Anthropic SDKs and the tools built on them. An Anthropic upstream gets the client's body as it came, with
 * only the model swapped, and its answer goes back as it came ({@link Forwarding}); any other gets the OpenAI chat
 * request the body means, through its adapter, and its answer is turned back into Anthropic's format
 * ({@link Translation}). Errors take Anthropic's shape.
 */
public final class MessagesServlet extends HttpServlet {
  private transient Gateway gateway;

  @Override
  public void init() {
    gateway = Gateway.from(getServletContext());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RequestLog log = (RequestLog) request.getAttribute(RequestLog.ATTRIBUTE);
    if (log == null) {
      log = new RequestLog(Ids.random("req_"));
    }
    boolean count = request.getServletPath().endsWith("/count_tokens");
    try {
      byte[] bytes = body(request);
      MessagesRequest call = MessagesRequest.parse(bytes, count);
      log.model(call.model(), call.stream());
      Route route = gateway.router().resolve(call.model(),
          (String) request.getAttribute(ApiKeyAuthFilter.UPSTREAM_TOKEN));
      log.route(route);
      ProviderAdapter adapter = gateway.adapters().forType(route.type());
      if (count && !(adapter instanceof AnthropicAdapter)) {
        counted(response, Json.bytes(Map.of("input_tokens", TokenEstimate.of(call.body()))));
        return;
      }
      AsyncReply reply = AsyncReply.start(request, response);
      try {
        if (adapter instanceof AnthropicAdapter anthropic) {
          new Forwarding(anthropic, route, reply, log).send(call, bytes, count,
              request.getHeader("anthropic-version"), request.getHeader("anthropic-beta"));
        } else {
          Translation.send(adapter, route, call, reply, log);
        }
      } catch (RuntimeException e) {
        // Async mode has started: the error must go through the reply, which also completes the request.
        GatewayException g = e instanceof GatewayException ge ? ge : InternalErrors.logged(e, log.requestId());
        log.error(g.getMessage());
        MessagesWire.send(reply, false, g);
      }
    } catch (GatewayException e) {
      log.error(e.getMessage());
      AnthropicErrors.write(response, e);
    } catch (RuntimeException e) {
      GatewayException internal = InternalErrors.logged(e, log.requestId());
      log.error(internal.getMessage());
      AnthropicErrors.write(response, internal);
    }
  }

  /** Anything but POST (and OPTIONS) gets Anthropic's error shape, not the container's HTML page. */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    String method = request.getMethod();
    if ("POST".equals(method) || "OPTIONS".equals(method)) {
      super.service(request, response);
      return;
    }
    response.setHeader("Allow", "POST, OPTIONS");
    AnthropicErrors.write(response, GatewayException.of(ErrorType.METHOD_NOT_ALLOWED,
        "Use POST for " + request.getRequestURI().substring(request.getContextPath().length())));
  }

  private static void counted(HttpServletResponse response, byte[] body) throws IOException {
    response.setStatus(200);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static byte[] body(HttpServletRequest request) throws IOException {
    Object buffered = request.getAttribute(BodyLimitFilter.BODY);
    return buffered instanceof byte[] b ? b : request.getInputStream().readAllBytes();
  }
}
