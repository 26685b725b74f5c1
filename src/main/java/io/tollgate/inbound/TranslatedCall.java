package io.tollgate.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.stream.AsyncReply;
import io.tollgate.stream.StreamReplay;
import io.tollgate.usage.AnswerText;
import io.tollgate.usage.PromptTokens;
import io.tollgate.usage.RequestLog;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * One attempt of a translated request: the OpenAI chat request a client's body means goes through the route's
 * adapter, and the answer comes back in the client's dialect; its outcome goes to the attempts. A model that does not
 * stream gets the whole answer replayed as chunks, so the dialect's stream is the same either way.
 */
public final class TranslatedCall {
  /** What a front end does with what OpenAI answered. */
  public interface Dialect {
    /** The whole answer in the dialect's shape. */
    byte[] answer(JsonNode completion, Route route);

    /** A fresh stream of the dialect's events for one attempt on {@code route}. */
    ChunkSink relay(Route route);

    /** An error answer, before anything of the answer went out. */
    void fail(AsyncReply reply, GatewayException error);
  }

  private TranslatedCall() {
  }

  public static void send(ProviderAdapter adapter, Route route, OpenAiRequest request, boolean stream,
      Dialect dialect, AsyncReply reply, RequestLog log, Attempts attempts, Billing billing) {
    log.tally().prompt(encoding -> PromptTokens.ofOpenAi(encoding, request), true);
    if (stream) {
      ChunkSink relay = dialect.relay(route);
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
      byte[] answer;
      try {
        answer = dialect.answer(Json.tree(body), route);
      } catch (IOException | RuntimeException e) {
        GatewayException failure = GatewayException.of(ErrorType.UPSTREAM_ERROR,
            "upstream " + route.provider() + " answered with invalid JSON");
        log.upstreamFailed(failure.status(), failure.getMessage());
        dialect.fail(reply, failure);
        return;
      }
      reply.json(200, Billing.headers(cost), answer);
    });
  }
}
