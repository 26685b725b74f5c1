package io.tollgate.provider.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.upstream.UpstreamCall;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/** A built-in model that answers with what it was sent: for demos, smoke tests and load tests. No network. */
public final class EchoAdapter implements ProviderAdapter {
  private final Executor executor;

  public EchoAdapter(Executor executor) {
    this.executor = executor;
  }

  @Override
  public String type() {
    return "echo";
  }

  @Override
  public CompletableFuture<byte[]> call(Route route, OpenAiRequest request) {
    EchoAnswer answer = EchoAnswer.of(request);
    ObjectNode body = switch (request.endpoint()) {
      case CHAT -> EchoMapper.chatCompletion(route.upstreamModel(), answer);
      case COMPLETIONS -> EchoMapper.textCompletion(route.upstreamModel(), answer);
      case EMBEDDINGS -> EchoMapper.embeddings(route.upstreamModel(), request.body().get("input"));
    };
    return CompletableFuture.completedFuture(Json.bytes(body));
  }

  @Override
  public UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink) {
    AtomicBoolean cancelled = new AtomicBoolean();
    executor.execute(() -> {
      EchoAnswer answer = EchoAnswer.of(request);
      List<ObjectNode> chunks = EchoMapper.chunks(route.upstreamModel(), answer, request.endpoint());
      sink.onOpen();
      sink.onPause(() -> { }); // the whole answer is in memory: a slow client holds nothing back
      for (ObjectNode chunk : chunks) {
        if (cancelled.get()) {
          return;
        }
        sink.onChunk(Json.bytes(chunk));
      }
      sink.onComplete();
    });
    return () -> cancelled.set(true);
  }

  @Override
  public CompletableFuture<JsonNode> listModels(Route route) {
    return CompletableFuture.completedFuture(EchoMapper.modelList(route.publicModel()));
  }
}
