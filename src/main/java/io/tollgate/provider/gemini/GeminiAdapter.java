package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.upstream.UpstreamCall;
import io.tollgate.upstream.UpstreamClient;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Google's Gemini API ({@code generateContent}, {@code streamGenerateContent?alt=sse}, {@code batchEmbedContents},
 * {@code models}), key in {@code x-goog-api-key}. The base URL is the host without an API version, as in Google's
 * SDKs; the version is the provider's {@code api_version} option (default v1beta).
 */
public final class GeminiAdapter implements ProviderAdapter {
  private final UpstreamClient client;

  public GeminiAdapter(UpstreamClient client) {
    this.client = client;
  }

  @Override
  public String type() {
    return "gemini";
  }

  @Override
  public CompletableFuture<byte[]> call(Route route, OpenAiRequest request) {
    boolean embeddings = request.endpoint() == Endpoint.EMBEDDINGS;
    byte[] body;
    try {
      body = Json.bytes(embeddings ? EmbeddingMapper.toBatchEmbed(request, route.upstreamModel())
          : GeminiMapper.toGenerateContent(request, route.upstreamModel()));
    } catch (GatewayException e) {
      return CompletableFuture.failedFuture(e);
    }
    URI uri = embeddings ? GeminiWire.batchEmbed(route) : GeminiWire.generate(route, false);
    return client.send(client.jsonPost(route.link(), uri, GeminiWire.headers(route), body, false))
        .handle((response, error) -> {
          if (error != null) {
            throw GeminiErrors.map(error, route);
          }
          return Json.bytes(answer(route, request, response.body()));
        });
  }

  private static JsonNode answer(Route route, OpenAiRequest request, byte[] body) {
    try {
      return switch (request.endpoint()) {
        case CHAT -> AnswerMapper.chatCompletion(GeminiWire.read(body, GeminiWire.Response.class),
            route.upstreamModel());
        case COMPLETIONS -> AnswerMapper.textCompletion(GeminiWire.read(body, GeminiWire.Response.class),
            route.upstreamModel());
        case EMBEDDINGS -> EmbeddingMapper.embeddings(GeminiWire.read(body, GeminiWire.EmbedResponse.class), request,
            route.upstreamModel());
      };
    } catch (java.io.IOException e) {
      throw unreadable(route, e);
    }
  }

  @Override
  public UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink) {
    byte[] body;
    try {
      body = Json.bytes(GeminiMapper.toGenerateContent(request, route.upstreamModel()));
    } catch (GatewayException e) {
      sink.onError(e);
      return UpstreamCall.NONE;
    }
    GeminiStream listener = new GeminiStream(sink, route, request.endpoint() == Endpoint.CHAT);
    return client.stream(client.jsonPost(route.link(), GeminiWire.generate(route, true), GeminiWire.headers(route),
        body, true), listener);
  }

  @Override
  public CompletableFuture<JsonNode> listModels(Route route) {
    return client.send(client.get(route.link(), GeminiWire.models(route), GeminiWire.headers(route)))
        .handle((response, error) -> {
          if (error != null) {
            throw GeminiErrors.map(error, route);
          }
          try {
            return AnswerMapper.modelList(GeminiWire.read(response.body(), GeminiWire.ModelList.class));
          } catch (java.io.IOException e) {
            throw unreadable(route, e);
          }
        });
  }

  private static GatewayException unreadable(Route route, Exception e) {
    return GatewayException.caused(ErrorType.UPSTREAM_ERROR,
        "upstream " + route.provider() + " sent an answer that is not Gemini JSON", e);
  }
}
