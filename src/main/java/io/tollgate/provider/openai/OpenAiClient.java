package io.tollgate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.Route;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.upstream.UpstreamCall;
import io.tollgate.upstream.UpstreamClient;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI's wire format at a given URL: a whole answer as the upstream's own bytes, a stream handed on event by
 * event, a JSON GET. Shared by every upstream that speaks the format (OpenAI-compatible ones, Azure), which differ
 * only in URLs and headers.
 */
public final class OpenAiClient {
  private final UpstreamClient client;

  public OpenAiClient(UpstreamClient client) {
    this.client = client;
  }

  public CompletableFuture<byte[]> call(Route route, URI uri, Map<String, String> headers, ObjectNode body) {
    return client.send(client.jsonPost(route.link(), uri, headers, Json.bytes(body), false))
        .handle((response, error) -> {
          if (error != null) {
            throw UpstreamErrors.map(error, route);
          }
          return response.body();
        });
  }

  /** Streams the answer's chunks to the sink; {@code [DONE]} or a clean end of the body completes it. */
  public UpstreamCall stream(Route route, URI uri, Map<String, String> headers, ObjectNode body, ChunkSink sink) {
    return client.stream(client.jsonPost(route.link(), uri, headers, Json.bytes(body), true),
        new PassThroughStream(sink, route));
  }

  public CompletableFuture<JsonNode> getJson(Route route, URI uri, Map<String, String> headers) {
    return client.send(client.get(route.link(), uri, headers))
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

  /** The client's body with the model swapped for the route's upstream model. */
  public static ObjectNode upstreamBody(Route route, OpenAiRequest request) {
    ObjectNode body = request.body();
    body.put("model", route.upstreamModel());
    return body;
  }

  /**
   * Asks for usage even when the client did not, so every stream's tokens are logged; the relay drops that extra
   * chunk for clients that did not ask for it. The client's other stream options are kept.
   */
  public static ObjectNode askForUsage(ObjectNode body) {
    JsonNode options = body.get("stream_options");
    ObjectNode kept = options instanceof ObjectNode o ? o : body.putObject("stream_options");
    kept.put("include_usage", true);
    return body;
  }
}
