package io.tollgate.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client was sent for one request, to be sent again: a whole JSON answer, or a stream's events in order, each
 * its data and its {@code event:} name or none.
 *
 * <p>A stream is held as two arrays rather than an object per event: with every request a miss, each stored answer
 * lives about as long as the cache keeps it, so its object count is what the old generation pays for.
 */
final class CachedAnswer {
  private final byte[] body;
  private final byte[][] data;
  /** Null when no event has a name (OpenAI's streams). */
  private final String[] names;
  private final int size;

  private CachedAnswer(byte[] body, byte[][] data, String[] names, int size) {
    this.body = body;
    this.data = data;
    this.names = names;
    this.size = size;
  }

  static CachedAnswer whole(byte[] body) {
    return new CachedAnswer(body, null, null, body.length);
  }

  /** {@code names} may be null, else as long as {@code data}. */
  static CachedAnswer stream(byte[][] data, String[] names) {
    int size = 0;
    for (int i = 0; i < data.length; i++) {
      size += data[i].length + (names == null || names[i] == null ? 0 : names[i].length());
    }
    return new CachedAnswer(null, data, names, size);
  }

  boolean isStream() {
    return data != null;
  }

  byte[] body() {
    return body;
  }

  int events() {
    return data.length;
  }

  byte[] data(int event) {
    return data[event];
  }

  String name(int event) {
    return names == null ? null : names[event];
  }

  String contentType() {
    return isStream() ? "text/event-stream" : "application/json";
  }

  /** Bytes held: the answer's own, which is what the in-process tier is bounded by. */
  int size() {
    return size;
  }

  /** The shared tier's encoding (JSON; the answer's bytes as base64), read by every version that shares the table. */
  byte[] encode() {
    if (!isStream()) {
      return Json.bytes(new Stored(body, null));
    }
    List<Stored.Event> events = new ArrayList<>(data.length);
    for (int i = 0; i < data.length; i++) {
      events.add(new Stored.Event(name(i), data[i]));
    }
    return Json.bytes(new Stored(null, events));
  }

  static CachedAnswer decode(byte[] stored) throws IOException {
    Stored s = Json.MAPPER.readValue(stored, Stored.class);
    if (s.events() == null) {
      return whole(s.body() == null ? new byte[0] : s.body());
    }
    byte[][] data = new byte[s.events().size()][];
    String[] names = null;
    for (int i = 0; i < data.length; i++) {
      Stored.Event e = s.events().get(i);
      data[i] = e.data();
      if (e.name() != null) {
        names = names == null ? new String[data.length] : names;
        names[i] = e.name();
      }
    }
    return stream(data, names);
  }

  private record Stored(@JsonProperty("body") byte[] body, @JsonProperty("events") List<Event> events) {
    private record Event(@JsonProperty("n") String name, @JsonProperty("d") byte[] data) {
    }
  }
}
