package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.RawHttp;

/** The API a client of the faults-under-load tests speaks: its path, credentials, request and answer shapes. */
enum ClientDialect {
  OPENAI("/v1/chat/completions"), ANTHROPIC("/v1/messages");

  final String path;

  ClientDialect(String path) {
    this.path = path;
  }

  /** Header names and values, in pairs: the key in the dialect's own header, and the request id. */
  String[] headers(String key, String requestId) {
    return this == OPENAI ? new String[] {"Authorization", bearer(key), "X-Request-Id", requestId}
        : new String[] {"x-api-key", key, "anthropic-version", "2023-06-01", "X-Request-Id", requestId};
  }

  String body(String model, boolean stream) {
    ObjectNode body = Http.JSON.createObjectNode().put("model", model).put("stream", stream);
    if (this == ANTHROPIC) {
      body.put("max_tokens", 50);
    }
    body.putArray("messages").addObject().put("role", "user").put("content", "hi");
    return body.toString();
  }

  /** A well-formed answer in this dialect: an error, a whole answer, or a stream (ending in an error if broken). */
  void assertAnswer(RawHttp.Answer a, boolean stream, boolean broken, String id) {
    if (a.status() != 200) {
      if (this == OPENAI) {
        FaultAnswers.assertErrorEnvelope(a.body(), id);
      } else {
        FaultAnswers.assertAnthropicError(a.body(), a.status(), id);
      }
    } else if (stream) {
      if (this == OPENAI) {
        FaultAnswers.assertStream(a, broken, id);
      } else {
        FaultAnswers.assertAnthropicStream(a, broken, id);
      }
    } else if (this == OPENAI) {
      FaultAnswers.assertCompletion(a, id);
    } else {
      FaultAnswers.assertMessage(a, id);
    }
  }
}
