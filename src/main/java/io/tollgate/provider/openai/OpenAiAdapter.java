package io.tollgate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.MediaTarget;
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
  private final OpenAiClient client;

  public OpenAiAdapter(UpstreamClient client) {
    this.client = new OpenAiClient(client);
  }

  @Override
  public String type() {
    return "openai";
  }

  @Override
  public CompletableFuture<byte[]> call(Route route, OpenAiRequest request) {
    URI uri = URI.create(route.baseUrl() + request.endpoint().path());
    return client.call(route, uri, headers(route), OpenAiClient.upstreamBody(route, request));
  }

  @Override
  public UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink) {
    URI uri = URI.create(route.baseUrl() + request.endpoint().path());
    return client.stream(route, uri, headers(route),
        OpenAiClient.askForUsage(OpenAiClient.upstreamBody(route, request)), sink);
  }

  @Override
  public CompletableFuture<JsonNode> listModels(Route route) {
    return client.getJson(route, URI.create(route.baseUrl() + "/models"), headers(route));
  }

  @Override
  public boolean servesMedia(String path) {
    return true;
  }

  @Override
  public MediaTarget media(Route route, String path) {
    return new MediaTarget(URI.create(route.baseUrl() + path), headers(route));
  }

  @Override
  public MediaTarget responsesApi(Route route) {
    return media(route, "/responses");
  }

  private static Map<String, String> headers(Route route) {
    return route.credential() == null ? Map.of()
        : Map.of("Authorization", "Bearer " + route.credential().reveal());
  }

  static GatewayException mapError(RuntimeException error, Route route) {
    return UpstreamErrors.map(error, route);
  }
}
