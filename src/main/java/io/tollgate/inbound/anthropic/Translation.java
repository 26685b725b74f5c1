package io.tollgate.inbound.anthropic;

import io.tollgate.cost.Billing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.failover.Attempts;
import io.tollgate.routing.ModelLimits;
import io.tollgate.routing.Plan;
import io.tollgate.stream.StreamReplay;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.AnswerText;
import io.tollgate.usage.PromptTokens;
import io.tollgate.usage.RequestLog;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * A Messages call to any upstream but Anthropic: the OpenAI chat request it means goes through the route's adapter
 * (and through the checks every OpenAI request passes), and the answer comes back as an Anthropic message, or as
 * Anthropic's events for a stream. The answer names the model the upstream reports, as every answer does.
 */
final class Translation {
  private Translation() {
  }

  /** The OpenAI chat request a Messages body means, checked as every OpenAI request is. */
  static OpenAiRequest request(MessagesRequest call, Plan plan) {
    OpenAiRequest request = RequestValidator.parse(Endpoint.CHAT, RequestMapper.toOpenAi(call.body(), call.stream()));
    ModelLimits.apply(plan, request);
    return request;
  }

  /** One attempt of the request through the route's adapter; its outcome goes to the attempts. */
  static void send(ProviderAdapter adapter, Route route, MessagesRequest call, OpenAiRequest request,
      AsyncReply reply, RequestLog log, Attempts attempts, Billing billing) {
    log.tally().prompt(encoding -> PromptTokens.ofOpenAi(encoding, request), true);
    if (call.stream()) {
      MessagesRelay relay = new MessagesRelay(reply, log, route.upstreamModel(), TokenEstimate.of(call.body()),
          attempts, billing);
      if (route.capabilities().streaming()) {
        adapter.stream(route, request, relay);
      } else {
        adapter.call(route, StreamReplay.withoutStreaming(request)).whenComplete((body, error) -> {
          if (error != null) {
            attempts.failed(error);
          } else {
            attempts.began();
            StreamReplay.replay(Endpoint.CHAT, body, relay);
          }
        });
      }
      return;
    }
    adapter.call(route, request).whenComplete((body, error) -> {
      if (error != null) {
        attempts.failed(error);
        return;
      }
      attempts.began();
      log.firstByte();
      BigDecimal cost = billing.answered(log, ChunkInspector.inspect(body).usage(),
          () -> AnswerText.ofOpenAiAnswer(body));
      byte[] message;
      try {
        message = Json.bytes(AnswerMapper.toMessage(Json.tree(body), route.upstreamModel()));
      } catch (IOException | RuntimeException e) {
        GatewayException failure = GatewayException.of(ErrorType.UPSTREAM_ERROR,
            "upstream " + route.provider() + " answered with invalid JSON");
        log.upstreamFailed(failure.status(), failure.getMessage());
        MessagesWire.send(reply, false, failure);
        return;
      }
      reply.json(200, Billing.headers(cost), message);
    });
  }
}
