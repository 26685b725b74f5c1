package io.tollgate.provider.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.MediaTarget;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.provider.openai.OpenAiClient;
import io.tollgate.upstream.UpstreamCall;
import io.tollgate.upstream.UpstreamClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Azure OpenAI: OpenAI's format at {@code {base_url}/openai/deployments/{deployment}/...?api-version=...} with an
 * {@code api-key} header. The deployment is the route's upstream model; {@code api_version} is a provider option.
 */
public final class AzureAdapter implements ProviderAdapter {
  public static final String DEFAULT_API_VERSION = "2024-10-21";
  // stream_options (and so usage in streams) came with this version; older ones answer 400 to it.
  private static final String FIRST_WITH_STREAM_USAGE = "2024-09-01";

  private final OpenAiClient client;

  public AzureAdapter(UpstreamClient client) {
    this.client = new OpenAiClient(client);
  }

  @Override
  public String type() {
    return "azure";
  }

  @Override
  public CompletableFuture<byte[]> call(Route route, OpenAiRequest request) {
    return client.call(route, uri(route, request.endpoint()), headers(route),
        OpenAiClient.upstreamBody(route, request));
  }

  @Override
  public UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink) {
    ObjectNode body = OpenAiClient.upstreamBody(route, request);
    if (apiVersion(route).compareTo(FIRST_WITH_STREAM_USAGE) >= 0) {
      OpenAiClient.askForUsage(body);
    }
    return client.stream(route, uri(route, request.endpoint()), headers(route), body,
        new AzureStream(sink, request.endpoint() == Endpoint.CHAT));
  }

  /** Images and audio, as Azure deploys them; Azure OpenAI has no moderations endpoint (its content filters are). */
  @Override
  public boolean servesMedia(String path) {
    return !path.equals("/moderations");
  }

  @Override
  public MediaTarget media(Route route, String path) {
    return new MediaTarget(uri(route, path), headers(route));
  }

  /** Azure's v1 API, which takes the model in the body as OpenAI's does: no deployment path, no api-version. */
  @Override
  public MediaTarget responsesApi(Route route) {
    return new MediaTarget(URI.create(openai(route) + "/v1/responses"), headers(route));
  }

  static URI uri(Route route, Endpoint endpoint) {
    return uri(route, endpoint.path());
  }

  private static URI uri(Route route, String path) {
    return URI.create(openai(route) + "/deployments/" + encode(route.upstreamModel()) + path
        + "?api-version=" + encode(apiVersion(route)));
  }

  /**
   * The resource's {@code /openai}: the Azure SDKs take the resource endpoint and add it themselves; a base URL
   * that already ends with it is taken as meant, not doubled.
   */
  private static String openai(Route route) {
    String base = route.baseUrl();
    return base.endsWith("/openai") ? base : base + "/openai";
  }

  private static String apiVersion(Route route) {
    return route.option("api_version", DEFAULT_API_VERSION);
  }

  private static Map<String, String> headers(Route route) {
    return route.credential() == null ? Map.of() : Map.of("api-key", route.credential().reveal());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
