package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API's side of the wire: where calls go, how the key travels, and the parts of its answers the gateway
 * reads, as records (unknown fields are ignored).
 */
final class GeminiWire {
  static final String DEFAULT_VERSION = "v1beta";
  private static final Pattern TRAILING_VERSION = Pattern.compile("/(v\\d+(?:alpha|beta)?\\d*)$");

  private GeminiWire() {
  }

  record Response(List<Candidate> candidates, PromptFeedback promptFeedback, UsageMetadata usageMetadata,
      JsonNode error, String modelVersion) {
    List<Candidate> candidateList() {
      return candidates == null ? List.of() : candidates;
    }

    /** The model as Gemini reports it, or the name it was sent. */
    String model(String sent) {
      return modelVersion == null || modelVersion.isBlank() ? sent : modelVersion;
    }
  }

  record Candidate(Content content, String finishReason, Integer index) {
    int position(int fallback) {
      return index == null ? fallback : index;
    }

    List<Part> partList() {
      return content == null || content.parts() == null ? List.of() : content.parts();
    }
  }

  record Content(String role, List<Part> parts) {
  }

  record Part(String text, Boolean thought, String thoughtSignature, FunctionCall functionCall) {
    boolean isThought() {
      return Boolean.TRUE.equals(thought);
    }
  }

  record FunctionCall(String name, JsonNode args) {
  }

  record PromptFeedback(String blockReason, String blockReasonMessage) {
  }

  record UsageMetadata(Integer promptTokenCount, Integer candidatesTokenCount, Integer thoughtsTokenCount,
      Integer totalTokenCount, Integer cachedContentTokenCount, Integer toolUsePromptTokenCount) {
  }

  record EmbedResponse(List<Embedding> embeddings) {
  }

  record Embedding(double[] values) {
  }

  record ModelList(List<Model> models) {
  }

  record Model(String name, String displayName) {
  }

  static <T> T read(byte[] body, Class<T> type) throws IOException {
    return Json.MAPPER.readValue(body, type);
  }

  /** The base URL without a trailing slash or API version: the Google SDKs' convention. */
  static String root(Route route) {
    String base = route.baseUrl().replaceAll("/+$", "");
    Matcher m = TRAILING_VERSION.matcher(base);
    return m.find() ? base.substring(0, m.start()) : base;
  }

  /** The provider's {@code api_version} option, else a version the base URL ends with, else v1beta. */
  static String version(Route route) {
    Matcher m = TRAILING_VERSION.matcher(route.baseUrl().replaceAll("/+$", ""));
    return route.option("api_version", m.find() ? m.group(1) : DEFAULT_VERSION);
  }

  /** {@code gemini-2.5-flash} and {@code models/gemini-2.5-flash} name the same model; tuned models keep theirs. */
  static String resource(String model) {
    return model.contains("/") ? model : "models/" + model;
  }

  static URI generate(Route route, boolean stream) {
    return method(route, stream ? "streamGenerateContent?alt=sse" : "generateContent");
  }

  static URI batchEmbed(Route route) {
    return method(route, "batchEmbedContents");
  }

  static URI models(Route route) {
    return URI.create(root(route) + "/" + version(route) + "/models?pageSize=1000");
  }

  private static URI method(Route route, String method) {
    return URI.create(root(route) + "/" + version(route) + "/" + resource(route.upstreamModel()) + ":" + method);
  }

  static Map<String, String> headers(Route route) {
    return route.credential() == null ? Map.of() : Map.of("x-goog-api-key", route.credential().reveal());
  }
}
