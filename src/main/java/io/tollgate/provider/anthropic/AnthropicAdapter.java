package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.upstream.UpstreamCall;
import io.tollgate.upstream.SseListener;
import io.tollgate.upstream.UpstreamClient;
import io.tollgate.upstream.UpstreamResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Anthropic's Messages API ({@code {base_url}/v1/messages}) behind the OpenAI chat and legacy completions
 * endpoints, plain and streamed. Anthropic has no embeddings.
 */
public final class AnthropicAdapter implements ProviderAdapter {
  private final UpstreamClient client;

  public AnthropicAdapter(UpstreamClient client) {
    this.client = client;
  }

  @Override
  public String type() {
    return "anthropic";
  }

  @Override
  public CompletableFuture<byte[]> call(Route route, OpenAiRequest request) {
    AnthropicWire.Outbound out;
    try {
      out = outbound(route, request);
    } catch (GatewayException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client.send(client.jsonPost(route.link(), AnthropicWire.uri(route, "/messages"),
            AnthropicWire.headers(route), Json.bytes(out.body()), false))
        .handle((response, error) -> {
          if (error != null) {
            throw UpstreamErrors.map(error, route);
          }
          JsonNode message = parse(response.body(), route);
          long now = System.currentTimeMillis() / 1000;
          return Json.bytes(request.endpoint() == Endpoint.CHAT
              ? AnthropicMapper.toChatCompletion(message, out.jsonTool(), route.upstreamModel(), now)
              : AnthropicMapper.toTextCompletion(message, route.upstreamModel(), now));
        });
  }

  @Override
  public UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink) {
    AnthropicWire.Outbound out;
    try {
      out = outbound(route, request);
    } catch (GatewayException e) {
      sink.onError(e); // before onOpen, so the client still gets the error's own status
      return UpstreamCall.NONE;
    }
    AnthropicStream stream = new AnthropicStream(sink, route, request.endpoint(), out.jsonTool(),
        System.currentTimeMillis() / 1000);
    return client.stream(client.jsonPost(route.link(), AnthropicWire.uri(route, "/messages"),
        AnthropicWire.headers(route), Json.bytes(out.body()), true), stream);
  }

  /**
   * A Messages API body from a client that speaks Anthropic's API itself, sent as it is (the caller has put the
   * route's model in it) to {@code {base_url}/v1{path}}: "/messages" or "/messages/count_tokens". The answer is
   * Anthropic's own; a non-2xx fails with the raw {@link io.tollgate.upstream.UpstreamException}.
   */
  public CompletableFuture<UpstreamResponse> forward(Route route, String path, byte[] body, String clientVersion,
      String clientBeta) {
    return client.send(client.jsonPost(route.link(), AnthropicWire.uri(route, path),
        AnthropicWire.headers(route, clientVersion, clientBeta), body, false));
  }

  /** As {@link #forward}, streamed: the upstream's own events go to the listener as they come. */
  public UpstreamCall forwardStream(Route route, byte[] body, String clientVersion, String clientBeta,
      SseListener listener) {
    return client.stream(client.jsonPost(route.link(), AnthropicWire.uri(route, "/messages"),
        AnthropicWire.headers(route, clientVersion, clientBeta), body, true), listener);
  }

  @Override
  public CompletableFuture<JsonNode> listModels(Route route) {
    return client.send(client.get(route.link(), AnthropicWire.uri(route, "/models?limit=1000"),
            AnthropicWire.headers(route)))
        .handle((response, error) -> {
          if (error != null) {
            throw UpstreamErrors.map(error, route);
          }
          return AnthropicMapper.toModelList(parse(response.body(), route));
        });
  }

  private static AnthropicWire.Outbound outbound(Route route, OpenAiRequest request) {
    if (request.endpoint() == Endpoint.EMBEDDINGS) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST,
          "model " + route.publicModel() + " is served by Anthropic, which has no embeddings endpoint");
    }
    return AnthropicMapper.toMessages(route, request);
  }

  private static JsonNode parse(byte[] body, Route route) {
    try {
      JsonNode node = Json.tree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // reported below
    }
    throw GatewayException.of(ErrorType.UPSTREAM_ERROR, "upstream " + route.provider() + " answered with invalid JSON");
  }
}
