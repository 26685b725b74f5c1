package io.tollgate.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * The hash a cached answer is found by: SHA-256 of the endpoint, the model as the router resolved it, the owner
 * (the key, or nobody when keys share) and the body with its keys sorted and without the fields that do not change
 * the answer. {@code stream} and {@code stream_options} stay: a stream is stored as the events it sent.
 *
 * <p>The body is written sorted straight from the request's tree into the digest: no copy of the tree and no
 * serializer per request, as every cacheable request pays for this before anything else.
 */
public final class CacheKey {
  private static final MessageDigest SHA_256 = sha256();

  private CacheKey() {
  }

  /** The hash, hex; {@code owner} is null when answers are shared between keys. */
  public static String of(String endpoint, String resolvedModel, ObjectNode body, Long owner) {
    MessageDigest digest = digest();
    digest.update((endpoint + '\n' + (owner == null ? "*" : owner.toString()) + '\n')
        .getBytes(StandardCharsets.UTF_8));
    try (JsonGenerator out = Json.MAPPER.getFactory()
        .createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), digest))) {
      writeBody(out, body, resolvedModel);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed body always serialises", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The top level: {@code user} and {@code metadata} left out, {@code model} as resolved. */
  private static void writeBody(JsonGenerator out, ObjectNode body, String resolvedModel) throws IOException {
    String[] names = names(body, true);
    out.writeStartObject();
    for (String name : names) {
      out.writeFieldName(name);
      if ("model".equals(name)) {
        out.writeString(resolvedModel);
      } else {
        write(out, body.get(name));
      }
    }
    out.writeEndObject();
  }

  private static void write(JsonGenerator out, JsonNode node) throws IOException {
    if (node.isObject()) {
      out.writeStartObject();
      for (String name : names(node, false)) {
        out.writeFieldName(name);
        write(out, node.get(name));
      }
      out.writeEndObject();
    } else if (node.isArray()) {
      out.writeStartArray();
      for (JsonNode item : node) {
        write(out, item);
      }
      out.writeEndArray();
    } else if (node.isTextual()) {
      out.writeString(node.textValue());
    } else if (node.isNumber()) {
      writeNumber(out, node);
    } else if (node.isBoolean()) {
      out.writeBoolean(node.booleanValue());
    } else if (node.isNull()) {
      out.writeNull();
    } else {
      out.writeTree(node); // binary and POJO nodes, which parsing never makes
    }
  }

  /** As each number node writes itself, so the hash is the one the tree writer gave. */
  private static void writeNumber(JsonGenerator out, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT -> out.writeNumber(node.intValue());
      case LONG -> out.writeNumber(node.longValue());
      case BIG_INTEGER -> out.writeNumber(node.bigIntegerValue());
      case FLOAT -> out.writeNumber(node.floatValue());
      case DOUBLE -> out.writeNumber(node.doubleValue());
      default -> out.writeNumber(node.decimalValue());
    }
  }

  /** The object's field names in sorted order; at the top level without the ignored ones and with {@code model}. */
  private static String[] names(JsonNode node, boolean top) {
    String[] names = new String[node.size() + (top ? 1 : 0)];
    int n = 0;
    boolean model = false;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (top && ("user".equals(name) || "metadata".equals(name))) {
        continue;
      }
      model |= top && "model".equals(name);
      names[n++] = name;
    }
    if (top && !model) {
      names[n++] = "model";
    }
    if (n > 1) {
      Arrays.sort(names, 0, n);
    }
    return n == names.length ? names : Arrays.copyOf(names, n);
  }

  private static MessageDigest digest() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
