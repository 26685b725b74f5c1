package io.tollgate.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.io.IOException;
import java.util.Set;

/** Parses and checks a client's body before anything goes upstream: bad input gets a 400 naming the field. */
public final class RequestValidator {
  /**
   * Turns in one request: Anthropic's documented maximum, the most any provider takes (OpenAI's is 2048), so the
   * bound never refuses what an upstream would serve.
   */
  public static final int MAX_MESSAGES = 100_000;
  /** Tools in one request: above OpenAI's 128 and the catalogues Anthropic's tool search is made for. */
  public static final int MAX_TOOLS = 10_000;
  private static final Set<String> NUMBERS = Set.of("temperature", "top_p", "presence_penalty", "frequency_penalty");
  private static final Set<String> COUNTS = Set.of("max_tokens", "max_completion_tokens", "n");
  private static final Set<String> INTEGERS = Set.of("seed", "top_logprobs");

  private RequestValidator() {
  }

  public static OpenAiRequest parse(Endpoint endpoint, byte[] body) {
    return parse(endpoint, object(body));
  }

  /** Checks a body already read as a JSON object (one another dialect was converted from, say). */
  public static OpenAiRequest parse(Endpoint endpoint, ObjectNode root) {
    String model = requireString(root, "model");
    boolean stream = endpoint.streamable() && optionalBoolean(root, "stream");
    JsonNode options = root.get("stream_options");
    boolean includeUsage = false;
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw invalid("stream_options must be an object", "stream_options");
      }
      includeUsage = optionalBoolean((ObjectNode) options, "include_usage");
    }
    switch (endpoint) {
      case CHAT -> {
        ChatChecks.messages(root.get("messages"));
        ChatChecks.tools(root.get("tools"));
      }
      case COMPLETIONS -> requirePresent(root, "prompt");
      case EMBEDDINGS -> checkInput(root.get("input"));
      default -> throw new IllegalStateException(endpoint.name());
    }
    checkNumbers(root);
    return new OpenAiRequest(endpoint, root, model, stream, includeUsage);
  }

  /** The body as a JSON object, or a 400 saying why it is not one. */
  public static ObjectNode object(byte[] body) {
    if (body.length == 0) {
      throw invalid("the request body is empty; send a JSON object", null);
    }
    int notUtf8 = RequestJson.invalidUtf8At(body);
    if (notUtf8 >= 0) {
      throw GatewayException.of(ErrorType.INVALID_JSON, "the request body is not valid UTF-8 (at byte " + notUtf8
          + "); JSON must be sent as UTF-8");
    }
    JsonNode node;
    try (JsonParser p = RequestJson.parser(body)) {
      node = Json.MAPPER.readTree(p);
      if (p.nextToken() != null) {
        throw GatewayException.of(ErrorType.INVALID_JSON, "the request body is not valid JSON: there is more after "
            + "the JSON value at line " + p.currentTokenLocation().getLineNr() + ", column "
            + p.currentTokenLocation().getColumnNr());
      }
    } catch (StreamConstraintsException e) {
      throw RequestJson.tooBig(e);
    } catch (JsonProcessingException e) {
      throw GatewayException.of(ErrorType.INVALID_JSON, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw GatewayException.of(ErrorType.INVALID_JSON, "the request body could not be read");
    }
    if (node == null || !node.isObject()) {
      throw invalid("the request body must be a JSON object", null);
    }
    return (ObjectNode) node;
  }

  private static void checkInput(JsonNode input) {
    if (input == null || input.isNull()) {
      throw invalid("'input' is a required property", "input");
    }
    if (!(input.isTextual() || input.isArray()) || input.isArray() && input.isEmpty()) {
      throw invalid("'input' must be a string or a non-empty array", "input");
    }
  }

  private static void checkNumbers(ObjectNode root) {
    for (String name : NUMBERS) {
      JsonNode v = root.get(name);
      if (v != null && !v.isNull() && !v.isNumber()) {
        throw invalid("'" + name + "' must be a number", name);
      }
    }
    for (String name : INTEGERS) {
      JsonNode v = root.get(name);
      if (v != null && !v.isNull() && !v.isIntegralNumber()) {
        throw invalid("'" + name + "' must be a whole number", name);
      }
    }
    for (String name : COUNTS) {
      JsonNode v = root.get(name);
      if (v != null && !v.isNull() && (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1)) {
        throw invalid("'" + name + "' must be a whole number of at least 1", name);
      }
    }
  }

  private static String requireString(ObjectNode root, String name) {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      throw invalid("'" + name + "' is a required property", name);
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw invalid("'" + name + "' must be a non-empty string", name);
    }
    return v.asText();
  }

  private static void requirePresent(ObjectNode root, String name) {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      throw invalid("'" + name + "' is a required property", name);
    }
  }

  private static boolean optionalBoolean(ObjectNode root, String name) {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw invalid("'" + name + "' must be true or false", name);
    }
    return v.asBoolean();
  }

  private static GatewayException invalid(String message, String param) {
    return GatewayException.param(ErrorType.INVALID_REQUEST, message, param);
  }
}
