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

  /** The provider's own model list as an OpenAI {@code list} object, for providers that can say. */
  default CompletableFuture<JsonNode> listModels(Route route) {
    return CompletableFuture.failedFuture(
        GatewayException.of(ErrorType.NOT_FOUND, "provider type " + type() + " cannot list its models"));
  }
}
