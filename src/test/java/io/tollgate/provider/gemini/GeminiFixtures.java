package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/** Recorded bodies under {@code fixtures/gemini/}, and answers made comparable with them. */
final class GeminiFixtures {
  private static final Pattern GENERATED_ID = Pattern.compile("^(chatcmpl-|cmpl-|call_)[0-9a-f]{24}$");

  private GeminiFixtures() {
  }

  static byte[] bytes(String name) {
    try (InputStream in = GeminiFixtures.class.getResourceAsStream("/fixtures/gemini/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    return tree(bytes(name));
  }

  /** A tree re-read from its text, so that 42 as an int and as a long compare equal. */
  static JsonNode canonical(JsonNode node) {
    return tree(Json.bytes(node));
  }

  /** Generated ids become {@code prefix*} and timestamps 0, the way the expected fixtures write them. */
  static JsonNode normalized(JsonNode node) {
    JsonNode copy = canonical(node);
    normalize(copy);
    return copy;
  }

  private static void normalize(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> field : o.properties()) {
        String name = field.getKey();
        JsonNode value = field.getValue();
        if (name.equals("id") && value.isTextual() && GENERATED_ID.matcher(value.asText()).matches()) {
          o.put("id", value.asText().replaceAll("[0-9a-f]{24}$", "*"));
        } else if (name.equals("created") && value.isNumber()) {
          o.put("created", 0);
        } else {
          normalize(value);
        }
      }
    } else if (node.isArray()) {
      node.forEach(GeminiFixtures::normalize);
    }
  }

  private static JsonNode tree(byte[] bytes) {
    try {
      return Json.tree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
