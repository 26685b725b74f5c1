package io.tollgate.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.Caller;
import io.tollgate.cache.CacheLookup;
import io.tollgate.cache.CacheRequest;
import io.tollgate.cost.Billing;
import io.tollgate.auth.KeyRules;
import io.tollgate.error.GatewayException;
import io.tollgate.filter.ApiKeyAuthFilter;
import io.tollgate.inbound.ApiServlet;
import io.tollgate.inbound.gemini.GeminiBody;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.failover.Attempts;
import io.tollgate.failover.Failover;
import io.tollgate.limits.Demand;
import io.tollgate.routing.ModelLimits;
import io.tollgate.routing.Plan;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.session.SessionTurn;
import io.tollgate.session.Sessions;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.StreamRelay;
import io.tollgate.stream.StreamReplay;
import io.tollgate.usage.AnswerText;
import io.tollgate.usage.PromptTokens;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * POST chat/completions, completions and embeddings: the hot path. A plain async servlet rather than a JAX-RS
 * resource, so the upstream's answer is written straight from the thread it arrives on, with nothing between.
 */
public final class ProxyServlet extends ApiServlet {
  private transient Sessions sessions;

  @Override
  public void init() {
    super.init();
    sessions = Sessions.from(getServletContext());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RequestLog log = log(request);
    try {
      byte[] bytes = body(request);
      OpenAiRequest call = parse(endpoint(request), bytes);
      log.model(call.model(), call.stream());
      log.tally().prompt(encoding -> PromptTokens.ofOpenAi(encoding, call), call.endpoint() != Endpoint.EMBEDDINGS);
      KeyRules.checkModel((Caller) request.getAttribute(Caller.ATTRIBUTE), call.model());
      Plan plan = gateway.router().plan(call.model());
      ModelLimits.apply(plan, call);
      gateway.limits().admit((Caller) request.getAttribute(Caller.ATTRIBUTE), call.model(),
          Demand.of(bytes, call.body(), call.endpoint() != Endpoint.EMBEDDINGS)).applyTo(response, log);
      // After admission, so a refused request costs no database read; the history's tokens settle with the usage.
      SessionTurn turn = sessions.openAi(request, call);
      Attempts attempts = gateway.failover().attempts(plan,
          (String) request.getAttribute(ApiKeyAuthFilter.UPSTREAM_TOKEN),
          Failover.session(plan, request::getHeader, call.body()), log);
      AsyncReply reply = AsyncReply.start(request, response, streams, gateway.config().writeTimeout());
      log.keepBodies(gateway.config().logs(), bytes, reply);
      reply.onClientGone(attempts::clientLeft);
      if (turn != null) {
        turn.attach(reply);
      }
      CacheLookup.serve(cache, new CacheRequest(call.endpoint().name(), plan.publicModel(), call.body(),
          call.endpoint() == Endpoint.EMBEDDINGS, false), request, response, reply, log,
          () -> forward(call, plan, attempts, reply, log));
    } catch (RuntimeException e) {
      refuse(response, log, e);
    }
  }

  private void forward(OpenAiRequest call, Plan plan, Attempts attempts, AsyncReply reply, RequestLog log) {
    try {
      if (call.stream() && plan.capabilities().streaming()) {
        StreamRelay relay = new StreamRelay(reply, log, call.includeUsage(), attempts, billing);
        attempts.run(route -> adapter(route).stream(route, call, relay), relay::fail);
      } else if (call.stream()) {
        replayed(call, attempts, new StreamRelay(reply, log, call.includeUsage(), attempts, billing));
      } else {
        answer(call, attempts, reply, log);
      }
    } catch (RuntimeException e) {
      // Async mode has started: the error must go through the reply, which also completes the request.
      reply.error(failedAfterStart(log, e));
    }
  }

  private ProviderAdapter adapter(Route route) {
    return gateway.adapters().forType(route.type());
  }

  private void answer(OpenAiRequest call, Attempts attempts, AsyncReply reply, RequestLog log) {
    attempts.run(route -> adapter(route).call(route, call).whenComplete((body, error) -> {
      if (error != null) {
        attempts.failed(error);
      } else {
        attempts.began();
        log.firstByte();
        reply.json(200, Billing.headers(billing.answered(log, ChunkInspector.inspect(body).usage(),
            () -> AnswerText.ofOpenAiAnswer(body))), body);
      }
    }), e -> {
      log.upstreamFailed(e.status(), e.getMessage());
      reply.error(e);
    });
  }

  /** A model whose upstream is not to stream: the whole answer, asked for without streaming, told as a stream. */
  private void replayed(OpenAiRequest call, Attempts attempts, StreamRelay relay) {
    OpenAiRequest whole = StreamReplay.withoutStreaming(call);
    attempts.run(route -> adapter(route).call(route, whole).whenComplete((body, error) -> {
      if (error != null) {
        attempts.failed(error);
      } else {
        attempts.began();
        StreamReplay.replay(call.endpoint(), body, relay);
      }
    }), relay::fail);
  }

  private static Endpoint endpoint(HttpServletRequest request) {
    String path = request.getServletPath();
    if (path.endsWith("/chat/completions")) {
      return Endpoint.CHAT;
    }
    if (path.endsWith("/embeddings")) {
      return Endpoint.EMBEDDINGS;
    }
    return Endpoint.COMPLETIONS;
  }

  /** The client's body as an OpenAI request; a Gemini-style chat body ({@code contents}) is converted first. */
  private static OpenAiRequest parse(Endpoint endpoint, byte[] body) {
    ObjectNode root = RequestValidator.object(body);
    if (endpoint == Endpoint.CHAT && GeminiBody.matches(root)) {
      root = GeminiBody.toOpenAi(root);
    }
    return RequestValidator.parse(endpoint, root);
  }

}
