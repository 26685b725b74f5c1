package io.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.ProviderOptions;
import io.tollgate.cost.Billing;
import io.tollgate.failover.Attempts;
import io.tollgate.inbound.NativeRelay;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.MediaTarget;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.stream.AsyncReply;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.upstream.UpstreamRequest;
import io.tollgate.usage.AnswerText;
import io.tollgate.usage.PromptTokens;
import io.tollgate.usage.RequestLog;
import java.math.BigDecimal;

/**
 * The attempts of a Responses request on providers that serve the Responses API themselves (the
 * {@code responses_api} option): the client's body goes to the provider's {@code /responses} with the route's
 * model, and the answer, or each typed event, comes back as the upstream wrote it ({@link NativeRelay} with
 * {@link PassThroughEvents}).
 * Usage is read from the answer or its last event for the log and the cost; the reply's taps keep the response and
 * fill the cache as on the translated path. A failure before the answer goes back to the attempts, which may try
 * another target, translated or not. One per request; its attempts run one after the other.
 */
final class PassThrough {
  private final ResponsesRequest call;
  private final byte[] raw;
  private final OpenAiRequest chat;
  private final UpstreamClient upstream;
  private final AsyncReply reply;
  private final RequestLog log;
  private final Attempts attempts;
  private final Billing billing;
  /** The body as the upstreams get it, made at the first attempt that cannot send the client's bytes. */
  private ObjectNode body;

  /**
   * {@code raw}: the client's bytes; {@code chat}: the request the body means, checked and held to the model's
   * limits, whose prompt is counted should the upstream report no usage.
   */
  PassThrough(ResponsesRequest call, byte[] raw, OpenAiRequest chat, UpstreamClient upstream, AsyncReply reply,
      RequestLog log, Attempts attempts, Billing billing) {
    this.call = call;
    this.raw = raw;
    this.chat = chat;
    this.upstream = upstream;
    this.reply = reply;
    this.log = log;
    this.attempts = attempts;
    this.billing = billing;
  }

  /** Where the route's provider takes Responses requests as they are; null when they are translated for it. */
  static MediaTarget target(ProviderAdapter adapter, Route route) {
    return ProviderOptions.responsesApi(route.options()) ? adapter.responsesApi(route) : null;
  }

  void send(Route route, MediaTarget target) {
    log.tally().prompt(encoding -> PromptTokens.ofOpenAi(encoding, chat), true);
    UpstreamRequest request = upstream.jsonPost(route.link(), target.uri(), target.headers(), bytes(route),
        call.stream());
    if (call.stream()) {
      upstream.stream(request, new NativeRelay(reply, log, route, attempts, new PassThroughEvents(log, billing)));
      return;
    }
    upstream.send(request).whenComplete((response, error) -> {
      if (error != null) {
        attempts.failed(error);
        return;
      }
      attempts.began();
      log.firstByte();
      byte[] answer = response.body();
      BigDecimal cost = billing.answered(log, ChunkInspector.inspect(answer).usage(),
          () -> AnswerText.ofResponse(answer));
      reply.json(200, Billing.headers(cost), answer);
    });
  }

  /** The client's bytes when nothing in them changes, else its body with the route's model. */
  private byte[] bytes(Route route) {
    if (body == null) {
      if (call.previousId() == null && !capped() && call.model().equals(route.upstreamModel())) {
        return raw;
      }
      body = upstreamBody();
    }
    body.put("model", route.upstreamModel());
    return Json.bytes(body);
  }

  /**
   * The client's fields, with two changes. {@code previous_response_id} is gone: the gateway put that response's
   * conversation into {@code input} from its own store, and the upstream may never have seen the id (another
   * target, or a translated one, may have served it). {@code max_output_tokens} is held to the model's cap.
   * {@code store} goes up as the client sent it: the upstream's answer then echoes the client's choice, a client
   * that said false leaves nothing kept anywhere, and the items the upstream gave (reasoning items are referred to
   * by id) stay resolvable there when a continuation sends them back. The gateway's own copy is what GET and
   * previous_response_id read, whoever served the response.
   */
  private ObjectNode upstreamBody() {
    ObjectNode out = call.body().deepCopy();
    out.remove("previous_response_id");
    if (capped()) {
      out.set("max_output_tokens", chat.body().get("max_tokens"));
    }
    return out;
  }

  /** Whether the model's cap lowered the client's max_output_tokens (which the chat request holds as max_tokens). */
  private boolean capped() {
    JsonNode cap = chat.body().get("max_tokens");
    return cap != null && !cap.equals(call.body().get("max_output_tokens"));
  }
}
