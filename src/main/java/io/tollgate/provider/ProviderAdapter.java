package io.tollgate.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.upstream.UpstreamCall;
import java.util.concurrent.CompletableFuture;

/** Carries OpenAI-format calls to one kind of upstream provider. Implementations are stateless and thread-safe. */
public interface ProviderAdapter {
  /** The provider type this adapter serves ("openai", "echo"): the key in provider definitions. */
  String type();

  /** A whole answer as OpenAI JSON; fails with a {@link GatewayException}. */
  CompletableFuture<byte[]> call(Route route, OpenAiRequest request);

  /** A streamed answer, delivered to the sink; the returned handle abandons it. */
  UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink);

  /** Whether this provider type takes OpenAI's call at {@code path} ("/images/generations", "/audio/speech", ...). */
  default boolean servesMedia(String path) {
    return false;
  }

  /** Where the call at {@code path} goes on this route, to be passed through as it is; see {@link #servesMedia}. */
  default MediaTarget media(Route route, String path) {
    throw GatewayException.of(ErrorType.INVALID_REQUEST, "provider type " + type() + " cannot serve " + path);
  }

  /**
   * Where this provider type serves OpenAI's Responses API itself on {@code route} ({@code POST .../responses}),
   * with the headers that sign the call; null when it does not, and /v1/responses is translated into chat.
   */
  default MediaTarget responsesApi(Route route) {
    return null;
  }

  /** The provider's own model list as an OpenAI {@code list} object, for providers that can say. */
  default CompletableFuture<JsonNode> listModels(Route route) {
    return CompletableFuture.failedFuture(
        GatewayException.of(ErrorType.NOT_FOUND, "provider type " + type() + " cannot list its models"));
  }
}
