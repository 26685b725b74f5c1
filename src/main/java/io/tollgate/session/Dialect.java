package io.tollgate.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.AnthropicErrors;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.stream.AsyncReply;

/**
 * The two dialects a session can be kept in, each with its own place for the system message: OpenAI's leading
 * {@code system}/{@code developer} messages, Anthropic's top-level {@code system} field.
 */
enum Dialect {
  OPENAI("openai") {
    @Override
    JsonNode takeSystem(ObjectNode body) {
      ArrayNode messages = (ArrayNode) body.get("messages");
      ArrayNode system = Json.MAPPER.createArrayNode();
      while (!messages.isEmpty() && isSystem(messages.get(0))) {
        system.add(messages.remove(0));
      }
      return system.isEmpty() ? null : system;
    }

    @Override
    void putSystem(ObjectNode body, JsonNode system) {
      ArrayNode messages = (ArrayNode) body.get("messages");
      for (int i = system.size() - 1; i >= 0; i--) {
        messages.insert(0, system.get(i));
      }
    }

    @Override
    boolean startsTurn(JsonNode message) {
      return "user".equals(message.path("role").asText());
    }

    @Override
    AnswerCollector answer() {
      return new OpenAiAnswer();
    }

    @Override
    void fail(AsyncReply reply, GatewayException e) {
      reply.error(e); // an error answer, or a started stream's last data event instead of [DONE]
    }

    private static boolean isSystem(JsonNode message) {
      String role = message.path("role").asText();
      return role.equals("system") || role.equals("developer");
    }
  },

  ANTHROPIC("anthropic") {
    @Override
    JsonNode takeSystem(ObjectNode body) {
      JsonNode system = body.remove("system");
      return system == null || system.isNull() ? null : system;
    }

    @Override
    void putSystem(ObjectNode body, JsonNode system) {
      body.set("system", system);
    }

    /** A user message, unless it only carries tool results: those belong to the turn that called the tools. */
    @Override
    boolean startsTurn(JsonNode message) {
      if (!"user".equals(message.path("role").asText())) {
        return false;
      }
      JsonNode content = message.path("content");
      if (!content.isArray() || content.isEmpty()) {
        return true;
      }
      for (JsonNode block : content) {
        if (!"tool_result".equals(block.path("type").asText())) {
          return true;
        }
      }
      return false;
    }

    @Override
    AnswerCollector answer() {
      return new AnthropicAnswer();
    }

    @Override
    void fail(AsyncReply reply, GatewayException e) {
      byte[] body = AnthropicErrors.body(e);
      if (!reply.streamOpened()) {
        reply.json(e.status(), e.headers(), body);
        return;
      }
      reply.event("error", body);
      reply.end(); // its hold was taken already: this ends the stream
    }
  };

  final String wire;

  Dialect(String wire) {
    this.wire = wire;
  }

  /** Takes the client's system message(s) out of the body: null when it sent none. */
  abstract JsonNode takeSystem(ObjectNode body);

  /** Puts a system message back where the dialect keeps it. */
  abstract void putSystem(ObjectNode body, JsonNode system);

  /** Whether this message begins a turn: the unit the turn limit counts and the oldest-first trimming drops. */
  abstract boolean startsTurn(JsonNode message);

  /** A new collector of one answer in this dialect. */
  abstract AnswerCollector answer();

  /** Ends the reply with {@code e} in this dialect's shape, instead of its successful end. */
  abstract void fail(AsyncReply reply, GatewayException e);
}
