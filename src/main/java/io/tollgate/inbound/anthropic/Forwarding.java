package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.cost.Billing;
import io.tollgate.failover.Attempts;
import io.tollgate.inbound.NativeRelay;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import io.tollgate.provider.anthropic.AnthropicAdapter;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.AnswerText;
import io.tollgate.usage.PromptTokens;
import io.tollgate.usage.RequestLog;
import java.io.IOException;

/**
 * A Messages or count_tokens call to an Anthropic upstream, for an Anthropic client: nothing to translate, so the
 * body goes as it came with the route's model in it (the bytes themselves when the model is the same), and the
 * answer or stream comes back as the upstream wrote it. Errors are mapped as on every path (the upstream's message
 * kept, a refused gateway credential as 502) and rendered in Anthropic's shape; a failure before the answer goes
 * back to the attempts, which may try again.
 */
final class Forwarding {
  private final AnthropicAdapter anthropic;
  private final Route route;
  private final AsyncReply reply;
  private final RequestLog log;
  private final Attempts attempts;
  private final Billing billing;

  Forwarding(AnthropicAdapter anthropic, Route route, AsyncReply reply, RequestLog log, Attempts attempts,
      Billing billing) {
    this.anthropic = anthropic;
    this.route = route;
    this.reply = reply;
    this.log = log;
    this.attempts = attempts;
    this.billing = billing;
  }

  void send(MessagesRequest call, byte[] bytes, boolean count, String version, String beta) {
    byte[] body = call.model().equals(route.upstreamModel()) ? bytes
        : Json.bytes(call.body().put("model", route.upstreamModel()));
    if (!count) {
      log.tally().prompt(encoding -> PromptTokens.ofAnthropic(encoding, call.body()), true);
    }
    if (call.stream()) {
      anthropic.forwardStream(route, body, version, beta, new NativeRelay(reply, log, route, attempts,
          new NativeEvents(log, billing)));
      return;
    }
    anthropic.forward(route, count ? "/messages/count_tokens" : "/messages", body, version, beta)
        .whenComplete((response, error) -> {
          if (error != null) {
            attempts.failed(error);
            return;
          }
          attempts.began();
          log.firstByte();
          if (count) {
            reply.json(200, response.body());
            return;
          }
          byte[] message = response.body();
          reply.json(200, Billing.headers(billing.answered(log, usage(message),
              () -> AnswerText.ofAnthropicMessage(message))), message);
        });
  }

  private static io.tollgate.openai.Usage usage(byte[] message) {
    try {
      JsonNode root = Json.tree(message);
      return root == null ? null : MessagesWire.logged(root.path("usage"));
    } catch (IOException notJson) {
      return null;
    }
  }
}
