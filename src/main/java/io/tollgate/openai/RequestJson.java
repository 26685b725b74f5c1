package io.tollgate.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * The parser for a client's body, with bounds no real request comes near. The document itself is bounded before it
 * is parsed (MAX_BODY_BYTES, a 413). Nesting is held well under the writer's 1000 levels, so a body translated to
 * another provider's shape (a few levels deeper) can always be written. Strings keep Jackson's bound, which every
 * later read of the same text by {@link Json#MAPPER} applies too.
 */
final class RequestJson {
  static final int MAX_DEPTH = 256;
  static final int MAX_NUMBER_LENGTH = 1_000;
  static final int MAX_STRING_LENGTH = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;
  static final int MAX_NAME_LENGTH = 50_000;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
          .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH).maxNameLength(MAX_NAME_LENGTH)
          .build())
      .build();

  private RequestJson() {
  }

  /**
   * Where the body stops being UTF-8, or -1. Jackson's reader is lenient (an overlong {@code C0 AF} reads as '/', a
   * lone surrogate passes), and a body that passes through goes upstream as the client sent it, so the JDK's strict
   * decoder checks it first. An ASCII body, the usual one, is only scanned; past the first other byte the check
   * decodes into a small buffer it reuses.
   */
  static int invalidUtf8At(byte[] body) {
    int i = 0;
    while (i < body.length && body[i] >= 0) {
      i++;
    }
    if (i == body.length) {
      return -1;
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input rather than replacing it
    ByteBuffer in = ByteBuffer.wrap(body, i, body.length - i);
    CharBuffer out = CharBuffer.allocate(Math.min(body.length - i, 4_096));
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        return in.position();
      }
      if (result.isUnderflow()) {
        return decoder.flush(out).isError() ? in.position() : -1;
      }
      out.clear();
    }
  }

  static JsonParser parser(byte[] body) throws IOException {
    return FACTORY.createParser(body);
  }

  /** A 400 that names the bound the body passed, in the gateway's words rather than Jackson's. */
  static GatewayException tooBig(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    String what;
    if (m.startsWith("Document nesting depth")) {
      what = "nests arrays and objects deeper than " + MAX_DEPTH + " levels";
    } else if (m.startsWith("Number value length")) {
      what = "has a number longer than " + MAX_NUMBER_LENGTH + " characters";
    } else if (m.startsWith("String value length")) {
      what = "has a string longer than " + MAX_STRING_LENGTH + " characters";
    } else if (m.startsWith("Name length")) {
      what = "has a property name longer than " + MAX_NAME_LENGTH + " characters";
    } else {
      what = "is beyond what the gateway parses";
    }
    return GatewayException.of(ErrorType.INVALID_REQUEST, "The request body " + what + ".");
  }
}
