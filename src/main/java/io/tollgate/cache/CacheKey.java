package io.tollgate.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash a cached answer is found by: SHA-256 of the endpoint, the model as the router resolved it, the owner
 * (the key, or nobody when keys share) and the body with its keys sorted and without the fields that do not change
 * the answer. {@code stream} and {@code stream_options} stay: a stream is stored as the events it sent.
 */
public final class CacheKey {
  private static final ObjectMapper SORTED = Json.MAPPER.copy()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final String[] IGNORED = {"user", "metadata"};

  private CacheKey() {
  }

  /** The hash, hex; {@code owner} is null when answers are shared between keys. */
  public static String of(String endpoint, String resolvedModel, ObjectNode body, Long owner) {
    ObjectNode copy = body.deepCopy();
    copy.remove(java.util.List.of(IGNORED));
    copy.put("model", resolvedModel);
    String canonical;
    try {
      // a tree read back as maps, so that ORDER_MAP_ENTRIES_BY_KEYS sorts every level
      canonical = SORTED.writeValueAsString(SORTED.treeToValue(copy, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed body always serialises", e);
    }
    String text = endpoint + '\n' + (owner == null ? "*" : owner.toString()) + '\n' + canonical;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
