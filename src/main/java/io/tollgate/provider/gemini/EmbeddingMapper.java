package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.gemini.GeminiWire.EmbedResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** OpenAI embeddings requests as Gemini {@code batchEmbedContents} calls, and the vectors back as an OpenAI list. */
final class EmbeddingMapper {
  private EmbeddingMapper() {
  }

  /** One request per input string; {@code dimensions} sets the output size. */
  static ObjectNode toBatchEmbed(OpenAiRequest request, String upstreamModel) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode requests = out.putArray("requests");
    JsonNode dimensions = request.body().path("dimensions");
    for (String text : inputs(request.body().get("input"))) {
      ObjectNode r = requests.addObject().put("model", GeminiWire.resource(upstreamModel));
      r.putObject("content").putArray("parts").addObject().put("text", text);
      if (dimensions.canConvertToInt()) {
        r.put("outputDimensionality", dimensions.asInt());
      }
    }
    return out;
  }

  static List<String> inputs(JsonNode input) {
    if (input.isTextual()) {
      return List.of(input.asText());
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode item : input) {
      if (!item.isTextual()) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST,
            "provider type gemini embeds text only: 'input' must be a string or an array of strings", "input");
      }
      texts.add(item.asText());
    }
    return texts;
  }

  /**
   * Gemini's batch answer reports no token counts, so {@code prompt_tokens} is an estimate: about four characters
   * a token, the rule of thumb Google gives for its models.
   */
  static ObjectNode embeddings(EmbedResponse response, OpenAiRequest request, String model) {
    List<String> inputs = inputs(request.body().get("input"));
    boolean base64 = "base64".equals(request.body().path("encoding_format").asText());
    ObjectNode root = Json.MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    List<GeminiWire.Embedding> vectors = response.embeddings() == null ? List.of() : response.embeddings();
    for (int i = 0; i < vectors.size(); i++) {
      double[] values = vectors.get(i).values() == null ? new double[0] : vectors.get(i).values();
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", base64(values));
      } else {
        ArrayNode vector = item.putArray("embedding");
        for (double v : values) {
          vector.add(v);
        }
      }
    }
    root.put("model", model);
    int tokens = inputs.stream().mapToInt(t -> (t.length() + 3) / 4).sum();
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return root;
  }

  /** OpenAI's base64 encoding: the vector as little-endian float32s (what openai-python asks for by default). */
  private static String base64(double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      buffer.putFloat((float) v);
    }
    return Base64.getEncoder().encodeToString(buffer.array());
  }
}
