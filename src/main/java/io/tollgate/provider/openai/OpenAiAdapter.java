package io.tollgate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.upstream.UpstreamCall;
import io.tollgate.upstream.UpstreamClient;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Any OpenAI-compatible upstream (OpenAI, DeepSeek, Ollama, vLLM, ...). Same wire format both ways, so the body
 * goes up with only the model swapped and answers come back as the upstream's own bytes.
 */
public final class OpenAiAdapter implements ProviderAdapter {
  private final UpstreamClient client;

  public OpenAiAdapter(UpstreamClient client) {
    this.client = client;
  }

  @Override
  public String type() {
    return "openai";
  }

  @Override
  public CompletableFuture<byte[]> call(Route route, OpenAiRequest request) {
    ObjectNode body = upstreamBody(route, request);
    URI uri = URI.create(route.baseUrl() + request.endpoint().path());
    return client.send(client.jsonPost(uri, headers(route), Json.bytes(body), false))
        .handle((response, error) -> {
          if (error != null) {
            throw UpstreamErrors.map(error, route);
          }
          return response.body();
        });
  }

  @Override
  public UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink) {
    ObjectNode body = upstreamBody(route, request);
    // Ask for usage even when the client did not, so every stream's tokens are logged; the relay drops that
    // extra chunk for clients that did not ask for it.
    body.putObject("stream_options").put("include_usage", true);
    URI uri = URI.create(route.baseUrl() + request.endpoint().path());
    return client.stream(client.jsonPost(uri, headers(route), Json.bytes(body), true), new PassThroughStream(sink, route));
  }

  @Override
  public CompletableFuture<JsonNode> listModels(Route route) {
    return client.send(client.get(URI.create(route.baseUrl() + "/models"), headers(route)))
        .handle((response, error) -> {
          if (error != null) {
            throw UpstreamErrors.map(error, route);
          }
          try {
            return Json.tree(response.body());
          } catch (Exception e) {
            throw UpstreamErrors.map(e, route);
          }
        });
  }

  private static ObjectNode upstreamBody(Route route, OpenAiRequest request) {
    ObjectNode body = request.body();
    body.put("model", route.upstreamModel());
    return body;
  }

  private static Map<String, String> headers(Route route) {
    return route.credential() == null ? Map.of()
        : Map.of("Authorization", "Bearer " + route.credential().reveal());
  }

  static GatewayException mapError(RuntimeException error, Route route) {
    RuntimeException mapped = UpstreamErrors.map(error, route);
    return mapped instanceof GatewayException g ? g
        : GatewayException.caused(io.tollgate.error.ErrorType.UPSTREAM_ERROR, "upstream failed", mapped);
  }
}
