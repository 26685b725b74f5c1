package io.tollgate.v1.media;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyRules;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.failover.Failover;
import io.tollgate.filter.ApiKeyAuthFilter;
import io.tollgate.filter.BodyLimitFilter;
import io.tollgate.inbound.ApiServlet;
import io.tollgate.limits.Demand;
import io.tollgate.provider.MediaTarget;
import io.tollgate.provider.Route;
import io.tollgate.routing.Plan;
import io.tollgate.stream.AsyncReply;
import io.tollgate.upstream.MultipartForm;
import io.tollgate.upstream.TypedBody;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.usage.RequestLog;
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
public final class MediaServlet extends ApiServlet {
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RequestLog log = log(request);
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
    } catch (RuntimeException e) {
      refuse(response, log, e);
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
      reply.error(failedAfterStart(log, e));
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
}
