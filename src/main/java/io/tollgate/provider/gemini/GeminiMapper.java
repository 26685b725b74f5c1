package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import io.tollgate.openai.OpenAiRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OpenAI requests as Gemini requests: messages become {@code contents} of alternating user/model turns,
 * system and developer messages the {@code systemInstruction}, tool calls and results {@code functionCall} and
 * {@code functionResponse} parts. Pure functions; the client's body is only read.
 */
final class GeminiMapper {
  /** Google's documented stand-in for a thought signature the client did not keep (Gemini 3 requires one). */
  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
  private static final Pattern NO_SIGNATURES = Pattern.compile("^(models/)?gemini-[12][.-].*");

  private GeminiMapper() {
  }

  static ObjectNode toGenerateContent(OpenAiRequest request, String upstreamModel) {
    JsonNode body = request.body();
    JsonNode messages = request.endpoint() == Endpoint.COMPLETIONS ? promptAsMessages(body.get("prompt"))
        : body.get("messages");
    ObjectNode out = Json.MAPPER.createObjectNode();
    new Conversation(!NO_SIGNATURES.matcher(upstreamModel).matches()).addAll(messages).writeTo(out);
    ToolsMapper.write(body, out);
    ObjectNode config = GenerationConfigMapper.from(body);
    if (!config.isEmpty()) {
      out.set("generationConfig", config);
    }
    return out;
  }

  private static JsonNode promptAsMessages(JsonNode prompt) {
    String text;
    if (prompt.isTextual()) {
      text = prompt.asText();
    } else if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
      text = prompt.get(0).asText();
    } else {
      throw GatewayException.param(ErrorType.INVALID_REQUEST,
          "provider type gemini takes one text prompt per request: 'prompt' must be a string", "prompt");
    }
    ArrayNode messages = Json.MAPPER.createArrayNode();
    messages.addObject().put("role", "user").put("content", text);
    return messages;
  }

  /** The turns built so far; consecutive messages of the same Gemini role share one turn. */
  private static final class Conversation {
    private final boolean needsSignatures;
    private final ArrayNode contents = Json.MAPPER.createArrayNode();
    private final StringBuilder system = new StringBuilder();
    private final Map<String, String> callNames = new HashMap<>();

    Conversation(boolean needsSignatures) {
      this.needsSignatures = needsSignatures;
    }

    Conversation addAll(JsonNode messages) {
      for (JsonNode m : messages) {
        switch (m.path("role").asText()) {
          case "system", "developer" -> {
            String text = PartsMapper.text(m.get("content"));
            if (!text.isEmpty()) {
              system.append(system.isEmpty() ? "" : "\n\n").append(text);
            }
          }
          case "assistant" -> append("model", assistantParts(m));
          case "tool" -> append("user", functionResponse(
              callNames.getOrDefault(m.path("tool_call_id").asText(), m.path("name").asText(
                  m.path("tool_call_id").asText("tool"))), m.get("content")));
          case "function" -> append("user", functionResponse(m.path("name").asText("function"), m.get("content")));
          default -> append("user", PartsMapper.parts(m.get("content")));
        }
      }
      return this;
    }

    void writeTo(ObjectNode out) {
      if (contents.isEmpty() && !system.isEmpty()) {
        // A system prompt alone is a valid OpenAI request; Gemini needs at least one turn.
        ArrayNode parts = Json.MAPPER.createArrayNode();
        parts.addObject().put("text", system.toString());
        append("user", parts);
      } else if (!system.isEmpty()) {
        out.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
      }
      out.set("contents", contents);
    }

    private ArrayNode assistantParts(JsonNode m) {
      ArrayNode parts = PartsMapper.parts(m.get("content"));
      boolean first = true;
      for (JsonNode call : m.path("tool_calls")) {
        String name = call.at("/function/name").asText();
        callNames.put(call.path("id").asText(), name);
        ObjectNode part = parts.addObject();
        part.putObject("functionCall").put("name", name).set("args", arguments(call.at("/function/arguments")));
        String signature = call.at("/extra_content/google/thought_signature").asText("");
        if (!signature.isEmpty()) {
          part.put("thoughtSignature", signature);
        } else if (first && needsSignatures) {
          part.put("thoughtSignature", SKIP_SIGNATURE);
        }
        first = false;
      }
      return parts;
    }

    private static JsonNode arguments(JsonNode arguments) {
      JsonNode parsed = arguments.isTextual() ? parseOrNull(arguments.asText()) : arguments;
      return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
    }

    /** Gemini wants an object as the response: a JSON object result is used as is, anything else wrapped. */
    private static ArrayNode functionResponse(String name, JsonNode content) {
      String text = PartsMapper.text(content);
      JsonNode parsed = parseOrNull(text);
      JsonNode response = parsed != null && parsed.isObject() ? parsed
          : Json.MAPPER.createObjectNode().put("content", text);
      ArrayNode parts = Json.MAPPER.createArrayNode();
      parts.addObject().putObject("functionResponse").put("name", name).set("response", response);
      return parts;
    }

    private void append(String role, ArrayNode parts) {
      if (parts.isEmpty()) {
        return;
      }
      JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
      if (last != null && role.equals(last.path("role").asText())) {
        ((ArrayNode) last.get("parts")).addAll(parts);
      } else {
        ObjectNode turn = contents.addObject().put("role", role);
        turn.set("parts", parts);
      }
    }

    private static JsonNode parseOrNull(String text) {
      String t = text.strip();
      if (!t.startsWith("{") && !t.startsWith("[")) {
        return null;
      }
      try {
        return Json.MAPPER.readTree(t);
      } catch (java.io.IOException e) {
        return null;
      }
    }
  }
}
