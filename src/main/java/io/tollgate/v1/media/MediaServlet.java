package io.tollgate.v1.media;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.tollgate.Gateway;
import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyRules;
import io.tollgate.cost.Billing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import io.tollgate.failover.Attempts;
import io.tollgate.failover.Failover;
import io.tollgate.filter.ApiKeyAuthFilter;
import io.tollgate.filter.BodyLimitFilter;
import io.tollgate.limits.Demand;
import io.tollgate.openai.Ids;
import io.tollgate.provider.MediaTarget;
import io.tollgate.provider.Route;
import io.tollgate.routing.Plan;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.OpenStreams;
import io.tollgate.stream.ResponseAbort;
import io.tollgate.upstream.MultipartForm;
import io.tollgate.upstream.TypedBody;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * POST images/generations, images/edits, audio/transcriptions, audio/translations, audio/speech and moderations:
 * passed through to OpenAI-compatible upstreams (and Azure, for images and audio) with only the model swapped, with
 * keys, limits, failover and logs as on chat. A JSON body arrives whole and within MAX_BODY_BYTES (BodyLimitFilter);
 * a multipart upload arrives as a form spooled to files within MAX_UPLOAD_BYTES (UploadReader, which deletes them
 * when the request ends), and is sent again from them per attempt. Other provider types get a 400 before anything
 * goes upstream.
 */
public final class MediaServlet extends HttpServlet {
  private transient Gateway gateway;
  private transient Billing billing;
  private transient OpenStreams streams;

  @Override
  public void init() {
    gateway = Gateway.from(getServletContext());
    billing = new Billing(gateway.prices());
    streams = gateway.metrics().openStreams();
  }

  /** A container destroys servlets before it ends the context: open streams get their grace here already. */
  @Override
  public void destroy() {
    if (gateway != null) {
      gateway.drain().drain();
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RequestLog found = (RequestLog) request.getAttribute(RequestLog.ATTRIBUTE);
    RequestLog log = found != null ? found : new RequestLog(Ids.random("req_"));
    try {
      MediaEndpoint endpoint = MediaEndpoint.of(request.getServletPath());
      MultipartForm form = (MultipartForm) request.getAttribute(BodyLimitFilter.FORM);
      byte[] bytes = form == null ? body(request) : null;
      MediaCall call = form != null ? MediaCall.of(endpoint, form)
          : MediaCall.parse(endpoint, bytes, request.getContentType());
      log.model(call.model(), false);
      Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
      KeyRules.checkModel(caller, call.model());
      Plan plan = gateway.router().plan(call.model());
      refuseUnserved(plan, endpoint);
      gateway.limits().admit(caller, call.model(), Demand.REQUEST_ONLY).applyTo(response, log);
      Attempts attempts = gateway.failover().attempts(plan,
          (String) request.getAttribute(ApiKeyAuthFilter.UPSTREAM_TOKEN),
          Failover.session(plan, request::getHeader, call.json() != null ? call.json() : MissingNode.getInstance()),
          log);
      AsyncReply reply = AsyncReply.start(request, response, streams, gateway.config().writeTimeout());
      if (call.json() != null) {
        log.keepBodies(gateway.config().logs(), bytes, reply); // a form's file parts are no log material
      }
      reply.onClientGone(attempts::clientLeft);
      forward(call, attempts, reply, log);
    } catch (GatewayException e) {
      log.error(e.getMessage());
      OpenAiErrors.write(response, e);
    } catch (RuntimeException e) {
      GatewayException internal = log.internalError(e);
      log.error(internal.getMessage());
      OpenAiErrors.write(response, internal);
    }
  }

  private void forward(MediaCall call, Attempts attempts, AsyncReply reply, RequestLog log) {
    try {
      attempts.run(route -> send(call, route, attempts, reply, log), e -> {
        log.upstreamFailed(e.status(), e.getMessage());
        reply.error(e);
      });
    } catch (RuntimeException e) {
      // Async mode has started: the error must go through the reply, which also completes the request.
      GatewayException g = e instanceof GatewayException ge ? ge : log.internalError(e);
      log.error(g.getMessage());
      reply.error(g);
    }
  }

  private void send(MediaCall call, Route route, Attempts attempts, AsyncReply reply, RequestLog log) {
    MediaTarget target = gateway.adapters().forType(route.type()).media(route, call.endpoint().path());
    TypedBody body = call.body(route.upstreamModel());
    Map<String, String> headers = new HashMap<>(target.headers());
    headers.put("Accept", "*/*"); // speech is audio, a transcript may be text
    UpstreamClient upstream = gateway.upstream();
    upstream.relay(upstream.post(route.link(), target.uri(), headers, body),
        new MediaAnswer(reply, attempts, log, billing), call.endpoint().wholeAnswer());
  }

  /** Every target of the model must take the call: a 400 names the one that cannot, before any goes upstream. */
  private void refuseUnserved(Plan plan, MediaEndpoint endpoint) {
    for (Plan.Candidate c : plan.candidates()) {
      String type = c.provider().type();
      if (!gateway.adapters().supports(type) || !gateway.adapters().forType(type).servesMedia(endpoint.path())) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST, "Model '" + plan.publicModel() + "' is served by "
            + "provider '" + c.provider().name() + "' of type " + type + ", which does not offer POST /v1"
            + endpoint.path() + ". It is passed through to OpenAI-compatible providers only.", "model");
      }
    }
  }

  /** Anything but POST (and OPTIONS) gets a JSON 405, not the container's HTML error page. */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    ResponseAbort.throwIfAborted(request); // a reply of audio that broke mid-way comes back here to be cut
    String method = request.getMethod();
    if ("POST".equals(method) || "OPTIONS".equals(method)) {
      super.service(request, response);
      return;
    }
    response.setHeader("Allow", "POST, OPTIONS");
    OpenAiErrors.write(response, GatewayException.of(ErrorType.METHOD_NOT_ALLOWED,
        "Use POST for " + request.getRequestURI().substring(request.getContextPath().length())));
  }

  private static byte[] body(HttpServletRequest request) throws IOException {
    Object buffered = request.getAttribute(BodyLimitFilter.BODY);
    return buffered instanceof byte[] b ? b : request.getInputStream().readAllBytes();
  }
}
