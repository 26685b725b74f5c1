package io.tollgate.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.util.List;

/**
 * What a client was sent for one request, to be sent again: a whole JSON answer ({@code body}) or a stream's events
 * in order ({@code events}, each with its {@code event:} name or none).
 */
record CachedAnswer(@JsonProperty("body") byte[] body, @JsonProperty("events") List<Event> events) {

  record Event(@JsonProperty("n") String name, @JsonProperty("d") byte[] data) {
  }

  static CachedAnswer whole(byte[] body) {
    return new CachedAnswer(body, null);
  }

  static CachedAnswer stream(List<Event> events) {
    return new CachedAnswer(null, List.copyOf(events));
  }

  boolean isStream() {
    return events != null;
  }

  String contentType() {
    return isStream() ? "text/event-stream" : "application/json";
  }

  /** Bytes held: the answer's own, which is what the in-process tier is bounded by. */
  int size() {
    if (!isStream()) {
      return body.length;
    }
    int n = 0;
    for (Event e : events) {
      n += e.data().length + (e.name() == null ? 0 : e.name().length());
    }
    return n;
  }

  /** The shared tier's encoding (JSON; the answer's bytes as base64). */
  byte[] encode() {
    return Json.bytes(this);
  }

  static CachedAnswer decode(byte[] stored) throws IOException {
    return Json.MAPPER.readValue(stored, CachedAnswer.class);
  }
}
