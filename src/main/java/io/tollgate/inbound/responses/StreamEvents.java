package io.tollgate.inbound.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Responses API's stream events as bytes, numbered by {@code sequence_number} in the order they are written.
 * One generator writes all of a stream's events, one after another into the same buffer. The deltas, nearly every
 * event of a stream, and the texts' done events are written field by field with no tree; a response that two events
 * carry unchanged ({@code response.created}, {@code response.in_progress}) is written once and copied in.
 */
final class StreamEvents {
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString SEQUENCE = new SerializedString("sequence_number");
  private static final SerializedString OUTPUT_INDEX = new SerializedString("output_index");
  private static final SerializedString ITEM_ID = new SerializedString("item_id");
  private static final SerializedString CONTENT_INDEX = new SerializedString("content_index");
  private static final SerializedString DELTA = new SerializedString("delta");
  private static final SerializedString TEXT = new SerializedString("text");
  private static final SerializedString LOGPROBS = new SerializedString("logprobs");
  private static final SerializedString RESPONSE = new SerializedString("response");

  private final ResponseStream.Events out;
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
  private JsonGenerator generator;
  private int sequence;

  StreamEvents(ResponseStream.Events out) {
    this.out = out;
  }

  /** A new event of this type, numbered now: the caller adds its fields and {@link #send}s it next. */
  ObjectNode event(String type) {
    return Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
  }

  void send(ObjectNode event) {
    try {
      Json.MAPPER.writeTree(generator(), event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    emit(event.get("type").asText());
  }

  /** An event whose only field is a response already written as JSON. */
  void withResponse(String type, SerializableString response) {
    try {
      JsonGenerator g = head(type);
      g.writeFieldName(RESPONSE);
      g.writeRawValue(response);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    emit(type);
  }

  /**
   * A text or arguments delta of the item at {@code outputIndex}: text deltas have a content index and (empty)
   * logprobs, which argument deltas do not.
   */
  void delta(String type, int outputIndex, SerializableString itemId, String delta, boolean text) {
    textEvent(type, outputIndex, itemId, DELTA, delta, text, text);
  }

  /** A reasoning item's text delta: in its one reasoning_text part, with no logprobs. */
  void reasoningDelta(int outputIndex, SerializableString itemId, String delta) {
    textEvent("response.reasoning_text.delta", outputIndex, itemId, DELTA, delta, true, false);
  }

  /** The whole text of the item's output_text part, when the item closes. */
  void textDone(int outputIndex, SerializableString itemId, String text) {
    textEvent("response.output_text.done", outputIndex, itemId, TEXT, text, true, true);
  }

  /** The whole text of a reasoning item's reasoning_text part, when the item closes. */
  void reasoningDone(int outputIndex, SerializableString itemId, String text) {
    textEvent("response.reasoning_text.done", outputIndex, itemId, TEXT, text, true, false);
  }

  /** Gives the generator's buffers back; after the stream's last event. */
  void close() {
    if (generator != null) {
      try {
        generator.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      generator = null;
    }
  }

  private void textEvent(String type, int outputIndex, SerializableString itemId, SerializableString field,
      String value, boolean inPart, boolean logprobs) {
    try {
      JsonGenerator g = head(type);
      g.writeFieldName(OUTPUT_INDEX);
      g.writeNumber(outputIndex);
      g.writeFieldName(ITEM_ID);
      g.writeString(itemId);
      if (inPart) {
        g.writeFieldName(CONTENT_INDEX);
        g.writeNumber(0);
      }
      g.writeFieldName(field);
      g.writeString(value);
      if (logprobs) {
        g.writeFieldName(LOGPROBS);
        g.writeStartArray();
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    emit(type);
  }

  private JsonGenerator head(String type) throws IOException {
    JsonGenerator g = generator();
    g.writeStartObject();
    g.writeFieldName(TYPE);
    g.writeString(type);
    g.writeFieldName(SEQUENCE);
    g.writeNumber(sequence++);
    return g;
  }

  private JsonGenerator generator() throws IOException {
    if (generator == null) {
      generator = Json.MAPPER.getFactory().createGenerator(buffer);
      generator.setRootValueSeparator(null); // one event per buffer: nothing between them
    }
    return generator;
  }

  /** Hands the event just written to the stream's consumer, and empties the buffer for the next. */
  private void emit(String type) {
    try {
      generator.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] json = buffer.toByteArray();
    buffer.reset();
    out.event(type, json);
  }
}
