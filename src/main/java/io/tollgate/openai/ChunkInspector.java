package io.tollgate.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads only what the gateway needs from an OpenAI answer or stream chunk (usage, error, whether choices are
 * empty), with the streaming parser and without building a tree, so pass-through stays cheap.
 */
public final class ChunkInspector {
  /** What one body or chunk says: usage may be null, errorMessage is non-null for an error object. */
  public record Facts(Usage usage, boolean emptyChoices, String errorMessage) {
    static final Facts NOTHING = new Facts(null, false, null);
  }

  private static final byte[] USAGE = "\"usage\"".getBytes();
  private static final byte[] ERROR = "\"error\"".getBytes();

  private ChunkInspector() {
  }

  public static Facts inspect(byte[] json) {
    // Most chunks say "usage":null (OpenAI repeats it on every chunk when usage is asked for): only an object
    // under "usage" or "error" is worth a parse.
    if (!hasObjectUnderUsageOrError(json)) {
      return Facts.NOTHING;
    }
    try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Facts.NOTHING;
      }
      Usage usage = null;
      boolean emptyChoices = false;
      String error = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
          usage = readUsage(p);
        } else if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
          emptyChoices = p.nextToken() == JsonToken.END_ARRAY;
          if (!emptyChoices) {
            p.skipChildren();
            skipRestOfArray(p);
          }
        } else if ("error".equals(field) && value == JsonToken.START_OBJECT) {
          error = readMessage(p);
        } else {
          p.skipChildren();
        }
      }
      return new Facts(usage, emptyChoices, error);
    } catch (IOException e) {
      return Facts.NOTHING;
    }
  }

  /** OpenAI's usage object, with the cached and reasoning tokens of its details objects kept apart. */
  private static Usage readUsage(JsonParser p) throws IOException {
    Integer prompt = null;
    Integer completion = null;
    Integer cached = null;
    Integer reasoning = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NUMBER_INT && ("prompt_tokens".equals(field) || "input_tokens".equals(field))) {
        prompt = count(p);
      } else if (value == JsonToken.VALUE_NUMBER_INT
          && ("completion_tokens".equals(field) || "output_tokens".equals(field))) {
        completion = count(p);
      } else if (value == JsonToken.START_OBJECT
          && ("prompt_tokens_details".equals(field) || "input_tokens_details".equals(field))) {
        cached = readCount(p, "cached_tokens");
      } else if (value == JsonToken.START_OBJECT
          && ("completion_tokens_details".equals(field) || "output_tokens_details".equals(field))) {
        reasoning = readCount(p, "reasoning_tokens");
      } else {
        p.skipChildren();
      }
    }
    return new Usage(prompt, completion, cached, reasoning);
  }

  /** One count inside a details object, the rest skipped. */
  private static Integer readCount(JsonParser p, String name) throws IOException {
    Integer count = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NUMBER_INT && name.equals(field)) {
        count = count(p);
      } else {
        p.skipChildren();
      }
    }
    return count;
  }

  /** A token count; a negative one (which would bill a negative cost) counts as not given. */
  private static Integer count(JsonParser p) throws IOException {
    int n = p.getIntValue();
    return n < 0 ? null : n;
  }

  private static String readMessage(JsonParser p) throws IOException {
    String message = "upstream error";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("message".equals(field) && value == JsonToken.VALUE_STRING) {
        message = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return message;
  }

  private static void skipRestOfArray(JsonParser p) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
  }

  /**
   * Whether {@code "usage"} or {@code "error"} appears followed by a colon and an opening brace; may say yes for
   * text inside a string, which only costs a parse. One pass, since it runs on every chunk of every stream.
   */
  static boolean hasObjectUnderUsageOrError(byte[] json) {
    int last = json.length - USAGE.length; // both names are seven bytes with their quotes
    for (int i = 0; i <= last; i++) {
      if (json[i] == '"') {
        byte next = json[i + 1];
        if ((next == 'u' && matchesAt(json, i, USAGE) || next == 'e' && matchesAt(json, i, ERROR))
            && objectFollows(json, i + USAGE.length)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matchesAt(byte[] json, int at, byte[] quotedName) {
    for (int k = 2; k < quotedName.length; k++) {
      if (json[at + k] != quotedName[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean objectFollows(byte[] json, int from) {
    int j = skipSpace(json, from);
    if (j >= json.length || json[j] != ':') {
      return false;
    }
    j = skipSpace(json, j + 1);
    return j < json.length && json[j] == '{';
  }

  private static int skipSpace(byte[] json, int from) {
    int i = from;
    while (i < json.length && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
      i++;
    }
    return i;
  }
}
