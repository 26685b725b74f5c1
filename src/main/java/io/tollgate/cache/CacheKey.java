package io.tollgate.cache;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash a cached answer is found by: SHA-256 of the endpoint, the model as the router resolved it, the owner
 * (the key, or nobody when keys share) and the body with its keys sorted and without the fields that do not change
 * the answer. {@code stream} and {@code stream_options} stay: a stream is stored as the events it sent.
 */
public final class CacheKey {
  /** Writes every object's fields in name order, at every level, straight from the tree. */
  private static final ObjectWriter SORTED = Json.MAPPER.copy()
      .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true).writer();
  private static final String[] IGNORED = {"user", "metadata"};

  private CacheKey() {
  }

  /** The hash, hex; {@code owner} is null when answers are shared between keys. */
  public static String of(String endpoint, String resolvedModel, ObjectNode body, Long owner) {
    ObjectNode copy = body.deepCopy();
    copy.remove(java.util.List.of(IGNORED));
    copy.put("model", resolvedModel);
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    digest.update((endpoint + '\n' + (owner == null ? "*" : owner.toString()) + '\n')
        .getBytes(StandardCharsets.UTF_8));
    try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
      SORTED.writeValue(out, copy);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed body always serialises", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
