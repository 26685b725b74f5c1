package io.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.routing.ModelLimits;
import io.tollgate.stream.StreamReplay;
import io.tollgate.stream.AsyncReply;
import io.tollgate.usage.RequestLog;
import java.io.IOException;

/**
 * A Messages call to any upstream but Anthropic: the OpenAI chat request it means goes through the route's adapter
 * (and through the checks every OpenAI request passes), and the answer comes back as an Anthropic message, or as
 * Anthropic's events for a stream. The answer names the model the upstream reports, as every answer does.
 */
final class Translation {
  private Translation() {
  }

  static void send(ProviderAdapter adapter, Route route, MessagesRequest call, AsyncReply reply, RequestLog log) {
    OpenAiRequest request = RequestValidator.parse(Endpoint.CHAT, RequestMapper.toOpenAi(call.body(), call.stream()));
    ModelLimits.apply(route, request);
    if (call.stream()) {
      MessagesRelay relay = new MessagesRelay(reply, log, route.upstreamModel(), TokenEstimate.of(call.body()));
      if (route.capabilities().streaming()) {
        relay.attach(adapter.stream(route, request, relay));
      } else {
        adapter.call(route, StreamReplay.withoutStreaming(request)).whenComplete((body, error) -> {
          if (error != null) {
            relay.onError(UpstreamErrors.map(error, route));
          } else {
            StreamReplay.replay(Endpoint.CHAT, body, relay);
          }
        });
      }
      return;
    }
    adapter.call(route, request).whenComplete((body, error) -> {
      GatewayException failure = null;
      byte[] message = null;
      if (error != null) {
        failure = UpstreamErrors.map(error, route);
      } else {
        log.firstByte();
        log.usage(ChunkInspector.inspect(body).usage());
        try {
          JsonNode completion = Json.tree(body);
          message = Json.bytes(AnswerMapper.toMessage(completion, route.upstreamModel()));
        } catch (IOException | RuntimeException e) {
          failure = GatewayException.of(ErrorType.UPSTREAM_ERROR,
              "upstream " + route.provider() + " answered with invalid JSON");
        }
      }
      if (failure != null) {
        log.upstreamFailed(failure.status(), failure.getMessage());
        MessagesWire.send(reply, false, failure);
      } else {
        reply.json(200, message);
      }
    });
  }
}
