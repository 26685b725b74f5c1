package io.tollgate.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one configured ObjectMapper, shared everywhere. */
public final class Json {
  static final int MAX_DEPTH = 500;
  // A body is one JSON value: anything after it (a second object, stray brackets) fails every tree read.
  // Reads nest at most 500 deep, half Jackson's write limit (1000): a translation wraps a client's tool schema a few
  // levels deeper, and a body read at 1000 deep could then not be written (a 500 instead of the client's 400).
  // Jackson's default buffer pool is per thread; a virtual thread per request would allocate fresh buffers
  // for every parse and write, so all threads share one pool instead.
  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

  private Json() {
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String string(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode tree(byte[] body) throws IOException {
    return MAPPER.readTree(body);
  }

  /** The tree, or a missing node for an empty or unreadable body: for those that only look into what was sent. */
  public static JsonNode treeOrMissing(byte[] body) {
    try {
      JsonNode root = MAPPER.readTree(body);
      return root == null ? MAPPER.missingNode() : root;
    } catch (IOException | RuntimeException unreadable) {
      return MAPPER.missingNode();
    }
  }
}
