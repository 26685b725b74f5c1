package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyRules;
import io.tollgate.cache.CacheLookup;
import io.tollgate.cache.CacheRequest;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.failover.Failover;
import io.tollgate.filter.ApiKeyAuthFilter;
import io.tollgate.inbound.ApiServlet;
import io.tollgate.inbound.TranslatedCall;
import io.tollgate.inbound.TranslatedRelay;
import io.tollgate.limits.Demand;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.persistence.StoredResponseRecord;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.MediaTarget;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.routing.ModelLimits;
import io.tollgate.routing.Plan;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * POST /v1/responses: OpenAI's Responses API in front of every provider type, for the clients that speak it first
 * (the Agents SDKs, coding agents, the SDKs' {@code responses.create}). The body becomes the chat request it means,
 * which goes through the route's adapter with the checks, limits, failover, cache and request log of every chat
 * call; the answer comes back as a {@code response} object, or as the Responses API's typed events. A provider
 * that serves the Responses API itself (its {@code responses_api} option) gets the body as it came instead, with
 * only the model swapped and {@code previous_response_id} resolved, and its answer goes back as it came
 * ({@link PassThrough}); a request's attempts may mix both kinds of target. Unless
 * {@code store} is false the response is kept ({@link StoredResponses}) before the reply ends, and a request with
 * {@code previous_response_id} has the earlier response's input and output put before its own input.
 */
public final class ResponsesServlet extends ApiServlet {
  private transient StoredResponses stored;

  @Override
  public void init() {
    super.init();
    stored = StoredResponses.from(getServletContext());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RequestLog log = log(request);
    try {
      byte[] raw = body(request);
      ResponsesRequest call = ResponsesRequest.parse(raw);
      log.model(call.model(), call.stream());
      Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
      KeyRules.checkModel(caller, call.model());
      ResponseOwner owner = ResponseOwner.of(request, gateway.auth());
      ArrayNode items = conversation(call, owner);
      Plan plan = gateway.router().plan(call.model());
      // Checked as every chat request is, before admission and before anything goes upstream.
      OpenAiRequest chat = RequestValidator.parse(Endpoint.CHAT, ChatRequestMapper.toChat(call.body(), call.stream()));
      ModelLimits.apply(plan, chat);
      gateway.limits().admit(caller, call.model(), Demand.of(raw, call.body(), true)).applyTo(response, log);
      Attempts attempts = gateway.failover().attempts(plan,
          (String) request.getAttribute(ApiKeyAuthFilter.UPSTREAM_TOKEN),
          Failover.session(plan, request::getHeader, call.body()), log);
      AsyncReply reply = AsyncReply.start(request, response, streams, gateway.config().writeTimeout());
      log.keepBodies(gateway.config().logs(), raw, reply);
      reply.onClientGone(attempts::clientLeft);
      if (call.store()) {
        new ResponseKeeping(stored, owner, items, log).attach(reply);
      }
      // Named events and no [DONE], as Anthropic's streams: the cache replays them that way (its "anthropic" flag).
      CacheLookup.serve(cache, new CacheRequest("responses", plan.publicModel(), call.body(), false, true, call.store()), request,
          response, reply, log, () -> forward(call, raw, chat, attempts, reply, log));
    } catch (RuntimeException e) {
      refuse(response, log, e);
    }
  }

  /**
   * The conversation as items: a continuation's body gets the previous response's items and output before its own
   * input (a 404 naming previous_response_id when this key has no such live response).
   */
  private ArrayNode conversation(ResponsesRequest call, ResponseOwner owner) {
    String previous = call.previousId();
    if (previous == null) {
      return InputItems.of(call.body().get("input"));
    }
    StoredResponseRecord earlier = stored.find(owner, previous, "previous_response_id");
    ArrayNode items = InputItems.continued(StoredResponses.tree(earlier.inputItems()),
        StoredResponses.tree(earlier.response()), call.body().get("input"));
    call.body().set("input", items);
    return items;
  }

  /** Each attempt passed through to a provider that serves the Responses API itself, or translated into chat. */
  private void forward(ResponsesRequest call, byte[] raw, OpenAiRequest chat, Attempts attempts, AsyncReply reply,
      RequestLog log) {
    TranslatedCall.Dialect dialect = dialect(call, reply, log, attempts);
    PassThrough passThrough = new PassThrough(call, raw, chat, gateway.upstream(), reply, log, attempts, billing);
    try {
      attempts.run(route -> {
        ProviderAdapter adapter = gateway.adapters().forType(route.type());
        MediaTarget target = PassThrough.target(adapter, route);
        if (target != null) {
          passThrough.send(route, target);
        } else {
          TranslatedCall.send(adapter, route, chat, call.stream(), dialect, reply, log, attempts, billing);
        }
      }, e -> {
            log.upstreamFailed(e.status(), e.getMessage());
            reply.error(e);
          });
    } catch (RuntimeException e) {
      // Async mode has started: the error must go through the reply, which also completes the request.
      GatewayException g = failedAfterStart(log, e);
      reply.error(g);
    }
  }

  private TranslatedCall.Dialect dialect(ResponsesRequest call, AsyncReply reply, RequestLog log,
      Attempts attempts) {
    return new TranslatedCall.Dialect() {
      @Override
      public byte[] answer(JsonNode completion, Route route) {
        return Json.bytes(ResponseMapper.toResponse(call.body(), completion, route.upstreamModel()));
      }

      @Override
      public ChunkSink relay(Route route) {
        ResponseStream events = new ResponseStream(reply::event, call.body(), route.upstreamModel());
        return new TranslatedRelay(reply, log, events, attempts, billing);
      }

      @Override
      public void fail(AsyncReply to, GatewayException error) {
        to.error(error);
      }
    };
  }
}
