package io.tollgate.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;

/**
 * The assistant's answer as the client got it, made into the message a session appends: from a whole answer's body,
 * or from the stream events the reply wrote. Events arrive in order, one at a time.
 */
interface AnswerCollector {
  /** One stream event the client got (its {@code event:} name, or null in OpenAI's dialect). */
  void event(String name, byte[] json);

  /** Whether the stream carried an error: then nothing is appended. */
  boolean failed();

  /** The assistant message of a whole answer, or null when the body holds none. */
  ObjectNode whole(byte[] body);

  /** The assistant message the stream's events made, or null when they made none. */
  ObjectNode streamed();

  static JsonNode tree(byte[] json) {
    return Json.treeOrMissing(json);
  }
}
