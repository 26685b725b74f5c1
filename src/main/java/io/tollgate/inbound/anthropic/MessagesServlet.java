package io.tollgate.inbound.anthropic;

import io.tollgate.auth.Caller;
import io.tollgate.cache.CacheLookup;
import io.tollgate.cache.CacheRequest;
import io.tollgate.auth.KeyRules;
import io.tollgate.error.AnthropicErrors;
import io.tollgate.error.GatewayException;
import io.tollgate.filter.ApiKeyAuthFilter;
import io.tollgate.inbound.ApiServlet;
import io.tollgate.limits.Demand;
import io.tollgate.openai.Json;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.failover.Attempts;
import io.tollgate.failover.Failover;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.routing.Plan;
import io.tollgate.provider.anthropic.AnthropicAdapter;
import io.tollgate.session.SessionTurn;
import io.tollgate.session.Sessions;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;
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
public final class MessagesServlet extends ApiServlet {
  private transient Sessions sessions;

  @Override
  public void init() {
    super.init();
    sessions = Sessions.from(getServletContext());
  }

  @Override
  protected void writeError(HttpServletResponse response, GatewayException e) throws IOException {
    AnthropicErrors.write(response, e);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RequestLog log = log(request);
    boolean count = request.getServletPath().endsWith("/count_tokens");
    try {
      byte[] raw = body(request);
      MessagesRequest call = MessagesRequest.parse(raw, count);
      log.model(call.model(), call.stream());
      KeyRules.checkModel((Caller) request.getAttribute(Caller.ATTRIBUTE), call.model());
      Plan plan = gateway.router().plan(call.model());
      gateway.limits().admit((Caller) request.getAttribute(Caller.ATTRIBUTE), call.model(),
          count ? Demand.REQUEST_ONLY : Demand.of(raw, call.body(), true)).applyTo(response, log);
      // After admission, so a refused request costs no database read; the history's tokens settle with the usage.
      SessionTurn turn = count ? null : sessions.anthropic(request, call.body(), call.model());
      byte[] bytes = turn == null ? raw : Json.bytes(call.body());
      if (count && !anthropic(plan.candidates().get(0).provider().type())) {
        counted(response, estimate(call));
        return;
      }
      Attempts attempts = gateway.failover().attempts(plan,
          (String) request.getAttribute(ApiKeyAuthFilter.UPSTREAM_TOKEN),
          Failover.session(plan, request::getHeader, call.body().path("metadata")), log);
      AsyncReply reply = AsyncReply.start(request, response, streams, gateway.config().writeTimeout());
      log.keepBodies(gateway.config().logs(), bytes, reply);
      reply.onClientGone(attempts::clientLeft);
      if (turn != null) {
        turn.attach(reply);
      }
      if (count) {
        forward(call, bytes, plan, attempts, request, reply, log);
      } else {
        CacheLookup.serve(cache, new CacheRequest("messages", plan.publicModel(), call.body(), false, true), request,
            response, reply, log, () -> forward(call, bytes, plan, attempts, request, reply, log));
      }
    } catch (RuntimeException e) {
      refuse(response, log, e);
    }
  }

  private void forward(MessagesRequest call, byte[] bytes, Plan plan, Attempts attempts, HttpServletRequest request,
      AsyncReply reply, RequestLog log) {
    boolean count = request.getServletPath().endsWith("/count_tokens");
    String version = request.getHeader("anthropic-version");
    String beta = request.getHeader("anthropic-beta");
    OpenAiRequest[] translated = new OpenAiRequest[1];
    try {
      attempts.run(route -> {
        ProviderAdapter adapter = gateway.adapters().forType(route.type());
        if (adapter instanceof AnthropicAdapter anthropic) {
          new Forwarding(anthropic, route, reply, log, attempts, billing).send(call, bytes, count, version, beta);
        } else if (count) {
          attempts.began();
          reply.json(200, estimate(call));
        } else {
          if (translated[0] == null) {
            translated[0] = Translation.request(call, plan);
          }
          Translation.send(adapter, route, call, translated[0], reply, log, attempts, billing);
        }
      }, e -> {
        log.upstreamFailed(e.status(), e.getMessage());
        MessagesWire.send(reply, false, e);
      });
    } catch (RuntimeException e) {
      // Async mode has started: the error must go through the reply, which also completes the request.
      GatewayException g = failedAfterStart(log, e);
      MessagesWire.send(reply, false, g);
    }
  }

  private static boolean anthropic(String providerType) {
    return "anthropic".equals(providerType);
  }

  /** count_tokens of a model no Anthropic upstream serves: the gateway's own estimate. */
  private static byte[] estimate(MessagesRequest call) {
    return Json.bytes(Map.of("input_tokens", TokenEstimate.of(call.body())));
  }

  private static void counted(HttpServletResponse response, byte[] body) throws IOException {
    response.setStatus(200);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
