package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.AnthropicErrors;
import io.tollgate.error.GatewayException;
import io.tollgate.inbound.TranslatedCall;
import io.tollgate.inbound.TranslatedRelay;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.failover.Attempts;
import io.tollgate.routing.ModelLimits;
import io.tollgate.routing.Plan;
import io.tollgate.provider.ChunkSink;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;

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
    TranslatedCall.send(adapter, route, request, call.stream(), new TranslatedCall.Dialect() {
      @Override
      public byte[] answer(JsonNode completion, Route to) {
        return Json.bytes(AnswerMapper.toMessage(completion, to.upstreamModel()));
      }

      @Override
      public ChunkSink relay(Route to) {
        MessagesStream stream = new MessagesStream((name, data) -> reply.event(name, Json.bytes(data)),
            to.upstreamModel(), TokenEstimate.of(call.body()));
        return new TranslatedRelay(reply, log, new TranslatedRelay.Events() {
          @Override
          public void chunk(JsonNode chunk) {
            stream.chunk(chunk);
          }

          @Override
          public void finish() {
            stream.finish();
          }

          @Override
          public void fail(GatewayException error) {
            reply.event("error", AnthropicErrors.body(error));
          }
        }, attempts, billing);
      }

      @Override
      public void fail(AsyncReply to, GatewayException error) {
        MessagesWire.send(to, false, error);
      }
    }, reply, log, attempts, billing);
  }
}
